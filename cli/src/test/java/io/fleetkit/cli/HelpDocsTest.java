package io.fleetkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Help, shell completion and man pages, all made from the same command definitions: paragraphs
 * wrapped as a whole, a completion script bash runs, and man pages groff renders without a warning.
 */
class HelpDocsTest {

    @TempDir
    Path dir;

    @Test
    void descriptionParagraphsAreWrappedAsAWholeWithoutRaggedHalfLines() {
        List<String> unjoined = new ArrayList<>();
        for (CommandLine cmd : commands(FleetCommand.commandLine())) {
            String[] description = cmd.getCommandSpec().usageMessage().description();
            for (int i = 1; i + 1 < description.length; i++) {
                if (prose(description[i]) && prose(description[i + 1])) {
                    unjoined.add(cmd.getCommandSpec().qualifiedName() + ": '" + description[i + 1] + "'");
                }
            }
        }
        assertTrue(unjoined.isEmpty(), "paragraph lines picocli would print as lines of their own:\n" + String.join("\n", unjoined));

        CliRun help = CliRun.fleet("flash", "--help");
        String[] lines = help.out().split("\n");
        int first = List.of(lines).indexOf("") + 1;   // the paragraph after the summary
        for (int i = first; !lines[i + 1].isEmpty(); i++) {
            assertTrue(lines[i].length() >= 60, "a half line in the middle of a paragraph: '" + lines[i] + "'\n" + help.out());
        }
        assertTrue(String.join(" ", List.of(lines).subList(first, first + 3)).contains("each checked against the bmap's SHA-256"),
                help.out());
    }

    private static boolean prose(String line) {
        return !line.isBlank() && !Character.isWhitespace(line.charAt(0)) && !line.startsWith("Example");
    }

    @Test
    void theCompletionScriptCompletesCommandsAndOptionsInBash() throws Exception {
        Path bash = Path.of("/bin/bash");
        assumeTrue(Files.isExecutable(bash), "bash runs the script");
        CliRun script = CliRun.fleet("completion", "bash");
        assertEquals(0, script.code(), script.toString());
        assertEquals(script.out(), CliRun.fleet("completion", "zsh").out(), "one script, zsh through bashcompinit");
        Path file = Files.writeString(dir.resolve("fleet.bash"), script.out());

        String commands = complete(file, "fleet fl", "fleet", "fl");
        String options = complete(file, "fleet rollout status --w", "fleet", "rollout", "status", "--w");

        assertEquals("flash", commands);
        assertEquals("--watch", options);
    }

    private static String complete(Path script, String line, String... words) throws Exception {
        String program = "source " + script + " 2>/dev/null; COMP_WORDS=(" + String.join(" ", words) + "); COMP_CWORD="
                + (words.length - 1) + "; COMP_LINE='" + line + "'; _complete_fleet 2>/dev/null; echo \"${COMPREPLY[*]}\"";
        Process p = new ProcessBuilder("/bin/bash", "-c", program).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return out;
    }

    @Test
    void everyCommandHasAManPageThatGroffRendersWithoutWarnings() throws Exception {
        CliRun wrote = CliRun.fleet("man", dir.toString());
        assertEquals(0, wrote.code(), wrote.toString());
        List<String> expected = commands(FleetCommand.commandLine()).stream()
                .map(c -> c.getCommandSpec().qualifiedName("-") + ".1").sorted().toList();
        List<String> pages;
        try (var files = Files.list(dir)) {
            pages = files.map(f -> f.getFileName().toString()).sorted().toList();
        }
        assertEquals(expected, pages);
        String flash = Files.readString(dir.resolve("fleet-flash.1"));
        assertTrue(flash.contains(".SH NAME\nfleet\\-flash \\- Write an image to an SD card, eMMC or file, safely and verified.\n"), flash);
        assertTrue(Files.readString(dir.resolve("fleet-rollout-status.1")).contains(".B 3\nwith \\-\\-watch: the rollout is paused")
                || Files.readString(dir.resolve("fleet-rollout-status.1")).contains(".B 3\nwith --watch: the rollout is paused"));

        Path groff = Path.of("/usr/bin/groff");
        assumeTrue(Files.isExecutable(groff), "groff renders the pages");
        for (String page : pages) {
            Process p = new ProcessBuilder(groff.toString(), "-man", "-Tutf8", "-ww", "-z", dir.resolve(page).toString())
                    .redirectErrorStream(true).start();
            String warnings = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals("", warnings, page);
        }
    }

    /** Every command but help, each once. */
    private static List<CommandLine> commands(CommandLine root) {
        List<CommandLine> all = new ArrayList<>();
        all.add(root);
        for (CommandLine sub : root.getSubcommands().values()) {
            if (sub.getParent() == root && !sub.getCommandName().equals("help") && !all.contains(sub)) {
                all.addAll(commands(sub));
            }
        }
        return all;
    }
}
