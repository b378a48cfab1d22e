package io.fleetkit.spec;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads the sections about the device in the field: {@code update} and {@code settings}. */
final class DeviceSections {

    private static final Set<String> UPDATE_KEYS = Set.of("keys", "server", "health", "netboot_install");
    private static final Set<String> HEALTH_KEYS = Set.of("timeout", "checks", "require_broker");
    private static final Set<String> SETTING_KEYS = Set.of("default", "description");

    private DeviceSections() {
    }

    static Optional<UpdateSpec> update(SpecFields top) {
        SpecFields fields = top.mapping("update", UPDATE_KEYS);
        if (fields == null) {
            return Optional.empty();
        }
        // The key directory need not exist yet: `fleet keys init` makes it; the builder checks it.
        Optional<Path> keys = fields.has("keys") ? fields.hostPath("keys", false) : Optional.empty();
        if (!fields.has("keys")) {
            fields.requiredText("keys");
        }
        URI server = fields.has("server")
                ? fields.parsed("server", text -> SystemSections.uri(text, Set.of("tcp", "ssl", "ws", "wss"),
                        "an MQTT server URL like tcp://10.0.2.2:1883 or ssl://fleet.example.com:8883"))
                : uriRequired(fields);
        HealthSpec health = health(fields);
        NetbootInstall install = fields.choice("netboot_install", NetbootInstall.values(), NetbootInstall::word, NetbootInstall.NEVER);
        if (keys.isEmpty() || server == null) {
            return Optional.empty();
        }
        return Optional.of(new UpdateSpec(keys.get(), server, health, install));
    }

    private static URI uriRequired(SpecFields fields) {
        fields.requiredText("server");
        return null;
    }

    private static HealthSpec health(SpecFields update) {
        SpecFields fields = update.mapping("health", HEALTH_KEYS);
        if (fields == null) {
            return new HealthSpec(HealthSpec.DEFAULT_TIMEOUT, List.of());
        }
        Duration timeout = fields.parsed("timeout", ScalarFormats::duration);
        if (timeout != null && timeout.isZero()) {
            fields.fail("timeout", "must be longer than zero");
            timeout = null;
        }
        return new HealthSpec(timeout == null ? HealthSpec.DEFAULT_TIMEOUT : timeout,
                CommandSection.read(fields, "checks"), fields.bool("require_broker", true));
    }

    static List<SettingSpec> settings(SpecFields top) {
        List<SettingSpec> settings = new ArrayList<>();
        YamlValue value = top.value("settings");
        if (value == null) {
            return settings;
        }
        if (!(value instanceof YamlValue.Mapping mapping)) {
            top.fail("settings", "expected a mapping of setting names, got " + value.describe());
            return settings;
        }
        for (YamlValue.Entry entry : mapping.entries().values()) {
            String path = "settings." + entry.key();
            if (!entry.key().matches(SettingSpec.NAME_PATTERN)) {
                top.problems().add(entry.keyLocation(), path, "'" + entry.key() + "' is not a setting name "
                        + (entry.key().length() > SettingSpec.MAX_NAME ? "(at most " + SettingSpec.MAX_NAME + " characters)"
                                : "(lower-case letters, digits, '_')"));
                continue;
            }
            if (entry.value() instanceof YamlValue.Scalar s && s.isNull()) {
                settings.add(new SettingSpec(entry.key(), Optional.empty(), ""));
                continue;
            }
            SpecFields fields = SpecFields.open(entry.value(), path, SETTING_KEYS, top.problems());
            String description = fields.text("description");
            settings.add(new SettingSpec(entry.key(), Optional.ofNullable(fields.text("default")),
                    description == null ? "" : description));
        }
        return settings;
    }
}
