package io.fleetkit.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * A command's man page (troff, man macros), made from its picocli definition: NAME from the first
 * description line, SYNOPSIS from the usage line, DESCRIPTION, OPTIONS with their parameters,
 * COMMANDS, EXIT STATUS and SEE ALSO. Examples and indented lines are kept as written.
 */
record ManPage(String fileName, String text) {

    /** Pages for {@code root} and every command below it, but the help command. */
    static List<ManPage> all(CommandLine root, String version) {
        List<ManPage> pages = new ArrayList<>();
        add(root, version, pages);
        return pages;
    }

    private static void add(CommandLine cli, String version, List<ManPage> pages) {
        if (cli.getCommand() instanceof CommandLine.HelpCommand) {
            return;
        }
        pages.add(of(cli, version));
        for (CommandLine sub : cli.getSubcommands().values()) {
            if (sub.getParent() == cli && sub.getCommandName().equals(sub.getCommandSpec().name())) {
                add(sub, version, pages);
            }
        }
    }

    static ManPage of(CommandLine cli, String version) {
        CommandSpec spec = cli.getCommandSpec();
        String page = spec.qualifiedName("-");
        String[] description = spec.usageMessage().description();
        StringBuilder t = new StringBuilder();
        t.append(".TH ").append(page.toUpperCase(java.util.Locale.ROOT)).append(" 1 \"\" \"fleet ").append(escape(version))
                .append("\" \"Fleetkit\"\n");
        t.append(".SH NAME\n").append(page.replace("-", "\\-")).append(" \\- ")
                .append(description.length == 0 ? "" : escape(description[0])).append('\n');
        t.append(".SH SYNOPSIS\n.nf\n");
        String synopsis = cli.getHelp().synopsis(0).stripTrailing();
        for (String line : synopsis.split("\n")) {
            t.append(escape(line.replaceFirst("^Usage: ", ""))).append('\n');
        }
        t.append(".fi\n");
        if (description.length > 1) {
            t.append(".SH DESCRIPTION\n");
            paragraphs(t, List.of(description).subList(1, description.length));
        }
        options(t, spec);
        commands(t, cli);
        t.append(".SH EXIT STATUS\n");
        Map<String, String> codes = spec.usageMessage().exitCodeList();
        if (codes.isEmpty()) {
            codes = Map.of(" 0", "success", " 1", "failure", " 2", "usage error");
        }
        codes.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
                t.append(".TP\n.B ").append(e.getKey().strip()).append('\n').append(escape(e.getValue())).append('\n'));
        t.append(".SH SEE ALSO\n").append(spec.parent() == null ? "fleet \\-\\-help, and the pages of each command above"
                : "\\fBfleet\\fR(1), \\fB" + page.replace("-", "\\-") + "\\fR \\-\\-help").append('\n');
        return new ManPage(page + ".1", t.toString());
    }

    private static void options(StringBuilder t, CommandSpec spec) {
        List<PositionalParamSpec> params = spec.positionalParameters().stream().filter(p -> !p.hidden()).toList();
        List<OptionSpec> options = spec.options().stream().filter(o -> !o.hidden()).toList();
        if (params.isEmpty() && options.isEmpty()) {
            return;
        }
        t.append(".SH OPTIONS\n");
        for (PositionalParamSpec p : params) {
            t.append(".TP\n\\fI").append(escape(p.paramLabel())).append("\\fR\n").append(escape(String.join(" ",
                    p.renderedDescription()))).append('\n');
        }
        for (OptionSpec o : options) {
            t.append(".TP\n");
            List<String> names = new ArrayList<>();
            for (String n : o.names()) {
                names.add("\\fB" + n.replace("-", "\\-") + "\\fR");
            }
            t.append(String.join(", ", names));
            if (o.arity().max() > 0) {
                t.append("=\\fI").append(escape(o.paramLabel())).append("\\fR");
            }
            t.append('\n').append(escape(String.join(" ", o.renderedDescription()))).append('\n');
        }
    }

    private static void commands(StringBuilder t, CommandLine cli) {
        List<CommandLine> subs = cli.getSubcommands().values().stream()
                .filter(s -> s.getParent() == cli && !(s.getCommand() instanceof CommandLine.HelpCommand)).distinct().toList();
        if (subs.isEmpty()) {
            return;
        }
        t.append(".SH COMMANDS\n");
        for (CommandLine s : subs) {
            String[] d = s.getCommandSpec().usageMessage().description();
            t.append(".TP\n\\fB").append(s.getCommandName()).append("\\fR\n").append(d.length == 0 ? "" : escape(d[0]))
                    .append(" See \\fB").append(s.getCommandSpec().qualifiedName("-").replace("-", "\\-")).append("\\fR(1).\n");
        }
    }

    /** Prose becomes filled paragraphs; examples and indented lines stay as written. */
    private static void paragraphs(StringBuilder t, List<String> lines) {
        boolean verbatim = false;
        boolean started = false;
        for (String line : lines) {
            if (line.isBlank()) {
                if (verbatim) {
                    t.append(".fi\n");
                    verbatim = false;
                }
                started = false;
                continue;
            }
            boolean literal = Character.isWhitespace(line.charAt(0)) || line.startsWith("Example");
            if (!started) {
                t.append(".PP\n");
                started = true;
            }
            if (literal && !verbatim) {
                t.append(".nf\n");
                verbatim = true;
            } else if (!literal && verbatim) {
                t.append(".fi\n");
                verbatim = false;
            }
            t.append(escape(literal ? line : line.strip())).append('\n');
        }
        if (verbatim) {
            t.append(".fi\n");
        }
    }

    /** Text safe in a troff line: backslashes escaped, a leading dot or quote neutralised. */
    static String escape(String s) {
        String e = s.replace("\\", "\\e").replace("%n", " ");
        return e.startsWith(".") || e.startsWith("'") ? "\\&" + e : e;
    }
}
