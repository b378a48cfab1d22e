package io.fleetkit.formats.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Runs a real host tool (the independent checker); a missing tool fails the test with its package. */
public final class HostTool {

    public record Result(int exit, byte[] stdout, String stderr) {
        public String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    private HostTool() {
    }

    public static Result run(String debianPackage, Map<String, String> env, File dir, byte[] stdin,
                             String... command) {
        String path = locate(command[0]);
        if (path == null) {
            fail("'" + command[0] + "' is not installed; install the Debian package " + debianPackage);
        }
        try {
            List<String> argv = new ArrayList<>(List.of(command));
            argv.set(0, path);
            ProcessBuilder pb = new ProcessBuilder(argv);
            pb.environment().putAll(env);
            pb.environment().put("MTOOLS_SKIP_CHECK", "1");
            if (dir != null) {
                pb.directory(dir);
            }
            Process p = pb.start();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            try (var in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin);
                }
            }
            int exit = p.waitFor();
            return new Result(exit, out.join(), new String(err.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static Result run(String debianPackage, String... command) {
        return run(debianPackage, Map.of(), null, null, command);
    }

    /** Runs and fails the test unless the tool exits 0. */
    public static Result check(String debianPackage, String... command) {
        Result r = run(debianPackage, command);
        if (r.exit() != 0) {
            fail(String.join(" ", command) + " exited " + r.exit() + "\n" + r.out() + r.stderr());
        }
        return r;
    }

    /** Runs, fails the test unless the tool exits 0, and returns what it printed (stdout, then stderr). */
    public static String ok(String debianPackage, String... command) {
        Result r = check(debianPackage, command);
        return r.out() + r.stderr();
    }

    private static String locate(String tool) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin"));
        for (String d : dirs) {
            File f = new File(d, tool);
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        return null;
    }

    private static byte[] readAll(InputStream in) {
        try (in; ByteArrayOutputStream b = new ByteArrayOutputStream()) {
            in.transferTo(b);
            return b.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
