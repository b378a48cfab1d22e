package io.fleetkit.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One `fleet ...` invocation in the test JVM: its exit code and what it printed. */
record CliRun(int code, String out, String err) {

    static CliRun fleet(String... args) {
        CommandLine cli = FleetCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
