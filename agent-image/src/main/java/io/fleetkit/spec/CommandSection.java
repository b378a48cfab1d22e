package io.fleetkit.spec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads lists of named commands ({@code onboot}, {@code onshutdown}, health checks). */
final class CommandSection {

    private static final Set<String> KEYS = Set.of("name", "command");

    private CommandSection() {
    }

    static List<CommandSpec> read(SpecFields parent, String key) {
        List<CommandSpec> commands = new ArrayList<>();
        NameRegistry names = new NameRegistry("name", parent.problems());
        List<YamlValue> items = parent.list(key);
        for (int i = 0; i < items.size(); i++) {
            SpecFields fields = SpecFields.open(items.get(i), parent.path(key) + "[" + i + "]", KEYS, parent.problems());
            String name = names.claim(fields);
            List<String> command = command(fields);
            if (name != null && command != null) {
                commands.add(new CommandSpec(name, command));
            }
        }
        return commands;
    }

    /** The required, non-empty {@code command} list: argv, no shell unless the user asks for one. */
    static List<String> command(SpecFields fields) {
        YamlValue value = fields.value("command");
        if (value == null) {
            fields.requiredText("command");
            return null;
        }
        if (value instanceof YamlValue.Scalar s) {
            // A command is argv, not a shell line: show the list the user probably meant.
            String argv = String.join(", ", java.util.Arrays.stream(s.text().trim().split("\\s+"))
                    .map(word -> "\"" + word + "\"").toList());
            fields.fail("command", "expected a list of arguments, got " + s.describe() + "; write [" + argv + "]");
            return null;
        }
        if (!(value instanceof YamlValue.Sequence)) {
            fields.list("command"); // reports the wrong kind
            return null;
        }
        List<String> command = fields.texts("command");
        if (command.isEmpty()) {
            fields.fail("command", "must name a program, e.g. [\"/bin/sh\", \"-c\", \"...\"]");
            return null;
        }
        return command;
    }

    /** Checks names are valid and unique within one list, pointing at the first use. */
    static final class NameRegistry {
        private final String key;
        private final SpecProblems problems;
        private final Map<String, SpecLocation> seen = new HashMap<>();

        NameRegistry(String key, SpecProblems problems) {
            this.key = key;
            this.problems = problems;
        }

        String claim(SpecFields fields) {
            String name = fields.parsed(key, ScalarFormats::name);
            if (name == null) {
                if (!fields.has(key)) {
                    fields.requiredText(key);
                }
                return null;
            }
            SpecLocation here = fields.value(key).location();
            SpecLocation first = seen.putIfAbsent(name, here);
            if (first != null) {
                problems.add(here, fields.path(key), "duplicate name '" + name + "' (first at " + first.seenFrom(here) + ")");
                return null;
            }
            return name;
        }
    }
}
