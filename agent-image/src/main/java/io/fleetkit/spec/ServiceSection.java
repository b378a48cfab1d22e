package io.fleetkit.spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Reads {@code services}: sandboxed long-running programs. */
final class ServiceSection {

    private static final Set<String> KEYS = Set.of("name", "command", "user", "capabilities", "readonly",
            "net", "restart", "image", "env", "binds");

    private ServiceSection() {
    }

    static List<ServiceSpec> read(SpecFields parent) {
        List<ServiceSpec> services = new ArrayList<>();
        CommandSection.NameRegistry names = new CommandSection.NameRegistry("name", parent.problems());
        List<YamlValue> items = parent.list("services");
        for (int i = 0; i < items.size(); i++) {
            SpecFields fields = SpecFields.open(items.get(i), "services[" + i + "]", KEYS, parent.problems());
            ServiceSpec service = service(fields, names);
            if (service != null) {
                services.add(service);
            }
        }
        return services;
    }

    private static ServiceSpec service(SpecFields fields, CommandSection.NameRegistry names) {
        String name = names.claim(fields);
        List<String> command = CommandSection.command(fields);
        int[] user = fields.parsed("user", ScalarFormats::user);
        List<String> capabilities = capabilities(fields);
        boolean readonly = fields.bool("readonly", true);
        NetMode net = fields.choice("net", NetMode.values(), NetMode::yamlName, NetMode.NONE);
        RestartPolicy restart = fields.choice("restart", RestartPolicy.values(), RestartPolicy::yamlName,
                RestartPolicy.ALWAYS);
        Optional<Path> image = fields.hostPath("image", true);
        Map<String, String> env = env(fields);
        List<BindSpec> binds = binds(fields);
        if (name == null || command == null) {
            return null;
        }
        return new ServiceSpec(name, command, user == null ? 0 : user[0], user == null ? 0 : user[1],
                capabilities, readonly, net, restart, image, env, binds);
    }

    private static List<String> capabilities(SpecFields fields) {
        Set<String> canonical = new TreeSet<>(Comparator.comparingInt(c -> LinuxCapabilities.number(c).getAsInt()));
        List<YamlValue> items = fields.list("capabilities");
        for (int i = 0; i < items.size(); i++) {
            String path = fields.path("capabilities") + "[" + i + "]";
            String text = SpecFields.text(items.get(i), path, fields.problems());
            if (text == null) {
                continue;
            }
            Optional<String> known = LinuxCapabilities.canonical(text);
            if (known.isPresent()) {
                canonical.add(known.get());
            } else {
                String hint = NearestWord.among(text.toUpperCase(java.util.Locale.ROOT).startsWith("CAP_") ? text : "CAP_" + text,
                                LinuxCapabilities.NAMES.stream().map(n -> n.toLowerCase(java.util.Locale.ROOT)).toList())
                        .map(n -> "; did you mean " + n.toUpperCase(java.util.Locale.ROOT) + "?")
                        .orElse("; see capabilities(7)");
                fields.problems().add(items.get(i).location(), path, "'" + text + "' is not a Linux capability" + hint);
            }
        }
        return List.copyOf(canonical);
    }

    private static Map<String, String> env(SpecFields fields) {
        Map<String, String> env = new LinkedHashMap<>();
        YamlValue value = fields.value("env");
        if (value == null) {
            return env;
        }
        if (!(value instanceof YamlValue.Mapping mapping)) {
            fields.fail("env", "expected a mapping of NAME: value, got " + value.describe());
            return env;
        }
        for (YamlValue.Entry entry : mapping.entries().values()) {
            String path = fields.path("env") + "." + entry.key();
            if (!entry.key().matches("[A-Za-z_][A-Za-z0-9_]*")) {
                fields.problems().add(entry.keyLocation(), path, "'" + entry.key()
                        + "' is not a variable name (letters, digits, '_', not starting with a digit)");
                continue;
            }
            if (entry.key().startsWith(SettingSpec.ENV_PREFIX)) {
                fields.problems().add(entry.keyLocation(), path, "'" + entry.key() + "': variables named " + SettingSpec.ENV_PREFIX
                        + "* carry the settings the spec declares; declare a setting under settings: instead");
                continue;
            }
            String text = SpecFields.text(entry.value(), path, fields.problems());
            if (text != null) {
                env.put(entry.key(), text);
            }
        }
        return env;
    }

    private static List<BindSpec> binds(SpecFields fields) {
        List<BindSpec> binds = new ArrayList<>();
        List<YamlValue> items = fields.list("binds");
        for (int i = 0; i < items.size(); i++) {
            String path = fields.path("binds") + "[" + i + "]";
            String text = SpecFields.text(items.get(i), path, fields.problems());
            if (text == null) {
                continue;
            }
            try {
                binds.add(bind(text));
            } catch (IllegalArgumentException e) {
                fields.problems().add(items.get(i).location(), path, e.getMessage());
            }
        }
        return binds;
    }

    private static BindSpec bind(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length < 2 || parts.length > 3 || parts.length == 3 && !parts[2].matches("ro|rw")) {
            throw new IllegalArgumentException("'" + text + "' is not a bind like /data/app:/var/lib/app:rw");
        }
        ScalarFormats.imagePath(parts[0]);
        ScalarFormats.imagePath(parts[1]);
        return new BindSpec(parts[0], parts[1], parts.length == 3 && parts[2].equals("ro"));
    }
}
