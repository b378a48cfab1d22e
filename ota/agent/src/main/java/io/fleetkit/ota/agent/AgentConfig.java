package io.fleetkit.ota.agent;

import io.fleetkit.events.FleetkitException;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * The agent's configuration, a Java properties file (normally {@code /etc/fleetkit/agent.properties},
 * written by the image builder). Unknown keys are refused so a typo is not silently ignored.
 * Paths under {@code proc.*} and {@code machineId} exist so tests can point the agent at files.
 * Commands are run with {@code /bin/sh -c}. {@code download.syncBytes} (default 8 MiB) is how
 * many bytes of a download may be written to the slot between two durable checkpoints (fsync of
 * the slot, then the saved state); a power cut costs at most that much download again. 0, or
 * anything up to one chunk, checkpoints every chunk. {@code download.delta} (default true) copies the
 * chunks the running slot holds already instead of downloading them ({@link LocalChunks}); false
 * downloads every chunk. {@code settings.file} is where the init wrote the
 * device's settings ({@link DeviceSettingsFile}); its {@code server} replaces {@code broker.url}.
 * {@code offline.bundles} is where the agent looks for a bundle to install without the server
 * ({@link OfflineBundleSource}; empty: nowhere). {@code health.requireBroker} (default true): a trial
 * is healthy only with the broker connected; false for devices meant to run offline.
 */
public record AgentConfig(
        String deviceId,
        String board,
        String version,
        long versionNumber,
        String agentVersion,
        String brokerUrl,
        String topicPrefix,
        Path signingPublicKey,
        Path disk,
        String backend,
        Path fwEnvConfig,
        Path dataDir,
        Path tlsCa,
        Path tlsCert,
        Path tlsKey,
        String healthServices,
        Map<String, String> healthChecks,
        Duration healthDeadline,
        List<String> rebootCommand,
        List<String> trybootCommand,
        int downloadWindow,
        Duration chunkTimeout,
        long downloadSyncBytes,
        boolean downloadDelta,
        Path procCmdline,
        Path procBootId,
        Path procUptime,
        Path deviceTree,
        Path machineId,
        Path settingsFile,
        String offlineBundles,
        boolean healthRequireBroker) {

    /** The default of {@code download.syncBytes}: 8 MiB, a few seconds of writing on an SD card. */
    public static final long DEFAULT_SYNC_BYTES = 8L << 20;

    public static final List<String> BACKENDS = List.of("uboot-script", "rpi-tryboot", "uboot-env");

    private static final Set<String> KEYS = Set.of("device.id", "board", "version", "versionNumber", "agent.version",
            "broker.url", "topic.prefix", "signing.publicKey", "disk.device", "boot.backend", "boot.fwEnvConfig", "data.dir",
            "tls.ca", "tls.cert", "tls.key", "health.services", "health.deadlineSeconds", "reboot.command",
            "reboot.trybootCommand", "download.window", "download.timeoutSeconds", "download.syncBytes", "download.delta", "proc.cmdline", "proc.bootId",
            "proc.uptime", "proc.deviceTree", "machineId", "settings.file", "offline.bundles", "health.requireBroker");

    public static AgentConfig load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        Map<String, String> m = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k).strip()));
        return parse(m, file.toString());
    }

    public static AgentConfig parse(Map<String, String> m, String source) {
        Map<String, String> checks = new LinkedHashMap<>();
        for (String k : new TreeMap<>(m).keySet()) {
            if (k.startsWith("health.check.")) {
                checks.put(k.substring("health.check.".length()), m.get(k));
            } else if (!KEYS.contains(k)) {
                throw bad(source, k, "is not a known key (known: " + new java.util.TreeSet<>(KEYS) + ", health.check.<name>)");
            }
        }
        String backend = m.getOrDefault("boot.backend", "uboot-script");
        if (!BACKENDS.contains(backend)) {
            throw bad(source, "boot.backend", "must be one of " + BACKENDS + ", is " + backend);
        }
        String board = required(m, "board", source);
        return new AgentConfig(
                m.get("device.id"), board, required(m, "version", source), number(m, "versionNumber", null, source),
                m.getOrDefault("agent.version", "0.1.0"), required(m, "broker.url", source),
                m.getOrDefault("topic.prefix", "fleet/v1"), path(m, "signing.publicKey", "/etc/fleetkit/signing.pub"),
                path(m, "disk.device", "/dev/mmcblk0"), backend, path(m, "boot.fwEnvConfig", "/etc/fw_env.config"),
                path(m, "data.dir", "/data/fleetkit"), path(m, "tls.ca", null), path(m, "tls.cert", null), path(m, "tls.key", null),
                m.getOrDefault("health.services", "test -z \"$(ls /run/fleetkit/failed 2>/dev/null)\""), checks,
                Duration.ofSeconds(number(m, "health.deadlineSeconds", "120", source)),
                List.of("/bin/sh", "-c", m.getOrDefault("reboot.command", "reboot")),
                List.of("/bin/sh", "-c", m.getOrDefault("reboot.trybootCommand", "/bin/fleetkit-reboot tryboot")),
                (int) number(m, "download.window", "16", source), Duration.ofSeconds(number(m, "download.timeoutSeconds", "30", source)),
                number(m, "download.syncBytes", Long.toString(DEFAULT_SYNC_BYTES), source), flag(m, "download.delta", true, source),
                path(m, "proc.cmdline", "/proc/cmdline"), path(m, "proc.bootId", "/proc/sys/kernel/random/boot_id"),
                path(m, "proc.uptime", "/proc/uptime"), path(m, "proc.deviceTree", "/proc/device-tree"),
                path(m, "machineId", "/etc/machine-id"), path(m, "settings.file", DeviceSettingsFile.DEFAULT_PATH),
                m.getOrDefault("offline.bundles", OfflineBundleSource.DEFAULT), flag(m, "health.requireBroker", true, source));
    }

    /** This configuration with another broker (the device's {@code server} setting). */
    public AgentConfig withBrokerUrl(String url) {
        return new AgentConfig(deviceId, board, version, versionNumber, agentVersion, url, topicPrefix, signingPublicKey, disk,
                backend, fwEnvConfig, dataDir, tlsCa, tlsCert, tlsKey, healthServices, healthChecks, healthDeadline, rebootCommand,
                trybootCommand, downloadWindow, chunkTimeout, downloadSyncBytes, downloadDelta, procCmdline, procBootId, procUptime, deviceTree,
                machineId, settingsFile, offlineBundles, healthRequireBroker);
    }

    private static String required(Map<String, String> m, String key, String source) {
        String v = m.get(key);
        if (v == null || v.isEmpty()) {
            throw bad(source, key, "is required");
        }
        return v;
    }

    private static boolean flag(Map<String, String> m, String key, boolean dflt, String source) {
        String v = m.get(key);
        if (v == null) {
            return dflt;
        }
        if (!v.equals("true") && !v.equals("false")) {
            throw bad(source, key, "must be true or false, is " + v);
        }
        return Boolean.parseBoolean(v);
    }

    private static long number(Map<String, String> m, String key, String dflt, String source) {
        String v = m.getOrDefault(key, dflt);
        if (v == null) {
            throw bad(source, key, "is required");
        }
        try {
            long n = Long.parseLong(v);
            if (n < 0) {
                throw bad(source, key, "must not be negative, is " + v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw bad(source, key, "must be a whole number, is " + v);
        }
    }

    private static Path path(Map<String, String> m, String key, String dflt) {
        String v = m.getOrDefault(key, dflt);
        return v == null || v.isEmpty() ? null : Path.of(v);
    }

    private static FleetkitException bad(String source, String key, String why) {
        return new FleetkitException("agent.bad-config", source + ": " + key + " " + why,
                "Fix the agent configuration (keys listed in io.fleetkit.ota.agent.AgentConfig); the image builder writes it from the spec.");
    }
}
