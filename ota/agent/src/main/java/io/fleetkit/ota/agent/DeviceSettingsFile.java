package io.fleetkit.ota.agent;

import io.fleetkit.events.EventSink;
import io.fleetkit.json.JsonParser;
import io.fleetkit.ota.protocol.DeviceReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The device's settings as the init applied them at boot ({@code /run/fleetkit/settings.json}:
 * {@code {"hostname", "server"?, "settings": {NAME: VALUE}}}, written from the boot partition's
 * {@code identity/settings.json} over the image's defaults; it never holds the Wi-Fi passphrase).
 * The agent connects to {@code server} when it is set and reports the host name and the settings.
 * A missing file is no settings; a file that is not what the init writes is reported and ignored.
 *
 * @param hostname null when unknown
 * @param server   null when the device has no server of its own
 * @param settings by name, sorted
 */
public record DeviceSettingsFile(String hostname, String server, Map<String, String> settings) {

    public static final String DEFAULT_PATH = "/run/fleetkit/settings.json";
    private static final int MAX_BYTES = 64 * 1024;

    public DeviceSettingsFile {
        settings = java.util.Collections.unmodifiableMap(new TreeMap<>(settings));
    }

    public static DeviceSettingsFile none() {
        return new DeviceSettingsFile(null, null, Map.of());
    }

    public static DeviceSettingsFile read(Path file, EventSink log) {
        if (file == null || !Files.isRegularFile(file)) {
            return none();
        }
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new IllegalArgumentException("larger than " + MAX_BYTES + " bytes");
            }
            Map<String, Object> doc = JsonParser.parseObject(Files.readString(file, StandardCharsets.UTF_8), MAX_BYTES);
            String hostname = doc.get("hostname") instanceof String h && DeviceReport.HOSTNAME.matcher(h).matches() ? h : null;
            String server = doc.get("server") instanceof String s && !s.isEmpty() ? s : null;
            Map<String, String> settings = new TreeMap<>();
            if (doc.get("settings") instanceof Map<?, ?> values) {
                values.forEach((name, value) -> {
                    if (name instanceof String n && DeviceReport.SETTING_NAME.matcher(n).matches() && value instanceof String v
                            && v.length() <= DeviceReport.MAX_SETTING_VALUE && settings.size() < DeviceReport.MAX_SETTINGS) {
                        settings.put(n, v);
                    } else {
                        log.warn("settings", "setting " + name + " is not reported: the fleet server takes up to "
                                + DeviceReport.MAX_SETTINGS + " settings of up to " + DeviceReport.MAX_SETTING_VALUE + " characters");
                    }
                });
            }
            return new DeviceSettingsFile(hostname, server, settings);
        } catch (IOException | RuntimeException e) {
            log.warn("settings", file + " is not the device's settings as the init writes them (" + e.getMessage() + "); ignored");
            return none();
        }
    }

    /** {@code config} with this device's server, when it has one of a scheme the agent speaks. */
    public AgentConfig applyTo(AgentConfig config, EventSink log) {
        if (server == null || server.equals(config.brokerUrl())) {
            return config;
        }
        if (!server.matches("(tcp|ssl|mqtt|mqtts)://[^/\\s]+")) {
            log.warn("settings", "the server setting '" + server + "' is not an MQTT URL like tcp://host:1883; using "
                    + config.brokerUrl());
            return config;
        }
        log.info("settings", "server " + server + " (the device's setting; the image says " + config.brokerUrl() + ")");
        return config.withBrokerUrl(server);
    }
}
