package io.fleetkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command teaches: --help works everywhere, and the command list shows whole sentences. */
class CliHelpTest {

    @Test
    void everyCommandHasHelpThatRendersCleanly() {
        List<String> problems = new ArrayList<>();
        for (CommandLine cmd : allCommands(FleetCommand.commandLine())) {
            String name = cmd.getCommandSpec().qualifiedName();
            StringWriter text = new StringWriter();
            cmd.setOut(new PrintWriter(text));
            PrintStream oldErr = System.err;
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code;
            try {
                code = cmd.execute("--help");
            } finally {
                System.setErr(oldErr);
            }
            if (code != 0) {
                problems.add(name + ": --help exited " + code);
            }
            if (err.toString(StandardCharsets.UTF_8).contains("WARN")) {
                problems.add(name + ": " + err.toString(StandardCharsets.UTF_8).strip());
            }
            String[] description = cmd.getCommandSpec().usageMessage().description();
            if (description.length == 0 || !description[0].strip().endsWith(".")) {
                problems.add(name + ": the first description line, shown in command lists, is not a whole sentence");
            }
            if (!text.toString().contains("Usage: " + name)) {
                problems.add(name + ": no usage line");
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void usageErrorsExitWithTwoAndNameTheFix() {
        StringWriter err = new StringWriter();
        int code = FleetCommand.execute("packages", "resolve", "--arch", "sparc", "busybox");
        assertEquals(2, code);
        assertEquals(2, FleetCommand.execute("--no-such-option"));
        assertFalse(err.toString().contains("Exception"));
    }

    @Test
    void failuresExitWithOneAndSayWhatToDo() {
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = FleetCommand.execute("kernel", "show", "--board", "amiga500");
        } finally {
            System.setErr(oldErr);
        }
        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, code, text);
        assertTrue(text.contains("fleet: ") && text.contains("qemu-arm64"), text);
        assertFalse(text.contains("at io.fleetkit"), "no stack trace without -v: " + text);
    }

    private static List<CommandLine> allCommands(CommandLine root) {
        List<CommandLine> all = new ArrayList<>();
        all.add(root);
        for (CommandLine sub : root.getSubcommands().values()) {
            if (!all.contains(sub) && !sub.getCommandName().equals("help")) {
                all.addAll(allCommands(sub));
            }
        }
        return all;
    }
}
