package io.fleetkit.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Descriptions are written in short source lines, but picocli prints each line of a description
 * as a line of its own and wraps it again at the terminal's width, which left ragged half-lines.
 * This joins the lines of each paragraph into one, for picocli to wrap as a whole. A paragraph ends
 * at an empty line; the first line (the summary in command lists), lines starting with "Example"
 * and indented lines (commands, lists) stay lines of their own.
 */
final class HelpParagraphs {

    private HelpParagraphs() {
    }

    /** Reflows the descriptions of {@code cli} and every subcommand. */
    static void reflow(CommandLine cli) {
        CommandSpec spec = cli.getCommandSpec();
        spec.usageMessage().description(join(spec.usageMessage().description()));
        for (CommandLine sub : cli.getSubcommands().values()) {
            reflow(sub);
        }
    }

    static String[] join(String[] lines) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int last = out.size() - 1;
            if (last >= 1 && prose(line) && prose(out.get(last))) {
                out.set(last, out.get(last).stripTrailing() + " " + line.strip());
            } else {
                out.add(line);
            }
        }
        return out.toArray(String[]::new);
    }

    private static boolean prose(String line) {
        return !line.isBlank() && !Character.isWhitespace(line.charAt(0)) && !line.startsWith("Example");
    }
}
