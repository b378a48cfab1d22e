package io.fleetkit.cli;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.events.UsageException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import picocli.CommandLine;

/**
 * The one place where failures become a message and an exit code: usage errors exit 2,
 * everything else 1. Stack traces only with {@code -v}.
 */
final class ErrorReporter implements CommandLine.IExecutionExceptionHandler,
        CommandLine.IParameterExceptionHandler, CommandLine.IExitCodeExceptionMapper {

    static final int FAILURE = 1;
    static final int USAGE = 2;

    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        PrintWriter err = ex.getCommandLine().getErr();
        err.println("fleet: " + ex.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
        err.flush();
        return USAGE;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cli, CommandLine.ParseResult parsed) {
        PrintWriter err = cli.getErr();
        boolean verbose = Arrays.asList(parsed.originalArgs().toArray(new String[0])).stream()
                .anyMatch(a -> a.equals("-v") || a.equals("--verbose"));
        Throwable t = unwrap(ex);
        err.println("fleet: " + describe(t));
        String fix = fixFor(t);
        if (fix != null) {
            err.println("  fix: " + fix);
        }
        if (verbose) {
            t.printStackTrace(err);
        }
        err.flush();
        return getExitCode(t);
    }

    @Override
    public int getExitCode(Throwable t) {
        return unwrap(t) instanceof UsageException ? USAGE : FAILURE;
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof UncheckedIOException || t instanceof CommandLine.ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    static String describe(Throwable t) {
        if (t instanceof FleetkitException f) {
            return f.getMessage();
        }
        if (t instanceof NoSuchFileException e) {
            return "no such file: " + e.getFile();
        }
        if (t instanceof AccessDeniedException e) {
            return "permission denied: " + e.getFile();
        }
        if (t instanceof java.net.UnknownHostException e) {
            return "cannot resolve host " + e.getMessage();
        }
        if (t instanceof java.net.ConnectException e) {
            return "cannot connect: " + e.getMessage();
        }
        if (t instanceof IOException e) {
            return "I/O error: " + e.getMessage();
        }
        String msg = t.getMessage();
        return t.getClass().getSimpleName() + (msg == null ? "" : ": " + msg)
                + " (this is a bug in fleet; run again with -v and report the stack trace)";
    }

    private static String fixFor(Throwable t) {
        if (t instanceof FleetkitException f) {
            return f.fix();
        }
        if (t instanceof java.net.UnknownHostException || t instanceof java.net.ConnectException) {
            return "check the network and the mirror URL, or use --offline with a filled cache";
        }
        return null;
    }
}
