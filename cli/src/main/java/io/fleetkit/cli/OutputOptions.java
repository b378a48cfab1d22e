package io.fleetkit.cli;

import io.fleetkit.events.EventSink;
import io.fleetkit.json.JsonWriter;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Options every command shares: {@code --json}, {@code -v}. Also where a command gets its output streams. */
public final class OutputOptions {

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "Print machine-readable JSON instead of tables; progress becomes JSON lines on stderr.")
    boolean json;

    @Option(names = {"-v", "--verbose"}, description = "Show detail: debug lines, and stack traces on failure.")
    boolean verbose;

    public PrintWriter out() {
        return spec.commandLine().getOut();
    }

    public PrintWriter err() {
        return spec.commandLine().getErr();
    }

    public void printJson(Object value) {
        out().println(JsonWriter.writePretty(value).stripTrailing());
        out().flush();
    }

    /** The sink that renders library events for this invocation: bars on a terminal, lines otherwise, JSON with --json. */
    public EventSink events() {
        return ConsoleRenderer.forTerminal(err(), json, verbose);
    }
}
