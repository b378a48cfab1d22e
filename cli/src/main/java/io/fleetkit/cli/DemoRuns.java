package io.fleetkit.cli;

import io.fleetkit.debian.archive.ContentCache;
import io.fleetkit.events.EventSink;
import io.fleetkit.json.JsonParser;
import io.fleetkit.ota.server.FleetClient;
import io.fleetkit.ota.server.bundles.PublishedBundle;
import io.fleetkit.ota.server.db.DeviceRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a demo run takes over from the runs before it in the same directory, so the demo can be
 * run again and again: the build time (pinned on the first run, so the same spec gives the same
 * bundles on any day), the fleet database (a 2.0.0 published with other bytes - fleet or the spec
 * changed - puts it aside), and the device ids (each run flashes a new device, so an earlier
 * run's device and rollouts never stand in its way).
 */
final class DemoRuns {

    static final String EPOCH_FILE = "source-date-epoch";
    /** Bundles are valid for a year from their build time. */
    private static final java.time.Duration RENEW_AFTER = java.time.Duration.ofDays(300);
    private static final Pattern DEVICE = Pattern.compile("gw-(\\d{5})");

    private DemoRuns() {
    }

    /**
     * The build time: SOURCE_DATE_EPOCH when set, else the one an earlier run pinned (its day), else
     * today, pinned for later runs. A pin so old that its bundles near their expiry (a year) is renewed.
     */
    static Instant buildTime(Path dir, Map<String, String> env) throws IOException {
        String given = env.get("SOURCE_DATE_EPOCH");
        if (given != null && !given.isBlank()) {
            return Instant.ofEpochSecond(Long.parseLong(given.strip()));
        }
        Optional<Instant> pinned = pinned(dir);
        if (pinned.isPresent()) {
            return pinned.get();
        }
        Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
        Files.writeString(dir.resolve(EPOCH_FILE), today.getEpochSecond() + "\n");
        return today;
    }

    static boolean buildTimePinnedEarlier(Path dir, Map<String, String> env) {
        return !env.containsKey("SOURCE_DATE_EPOCH") && pinned(dir).isPresent();
    }

    private static Optional<Instant> pinned(Path dir) {
        try {
            Instant t = Instant.ofEpochSecond(Long.parseLong(Files.readString(dir.resolve(EPOCH_FILE)).strip()));
            return t.isAfter(Instant.now().minus(RENEW_AFTER)) ? Optional.of(t) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The environment for the demo's builds: this process's, with the build time. */
    static Map<String, String> buildEnvironment(Instant buildTime) {
        Map<String, String> env = new LinkedHashMap<>(System.getenv());
        env.put("SOURCE_DATE_EPOCH", Long.toString(buildTime.getEpochSecond()));
        return env;
    }

    /** The SHA-256 of each output an earlier build listed in its report {@code report}, or nothing. */
    static Map<String, Object> outputsOf(Path report) {
        try {
            if (Files.isRegularFile(report)) {
                Object outputs = JsonParser.parseObject(Files.readString(report, StandardCharsets.UTF_8), 4 << 20).get("outputs");
                if (outputs instanceof Map<?, ?> m) {
                    Map<String, Object> copy = new LinkedHashMap<>();
                    m.forEach((k, v) -> copy.put(String.valueOf(k), v));
                    return copy;
                }
            }
        } catch (IOException | RuntimeException e) {
            // An unreadable report from an earlier run only means nothing to compare with.
        }
        return Map.of();
    }

    /**
     * Keeps the fleet database of earlier runs unless it holds another {@code version} than
     * {@code bundle} for the same board (fleet or the spec changed since): then it is moved aside
     * and the run starts with a new one. Returns what happened, for the story.
     */
    static String database(Path serverDir, Path keys, Path bundle, String version) throws IOException {
        if (!Files.isDirectory(serverDir)) {
            return "a new fleet database";
        }
        String sha = ContentCache.sha256Of(bundle);
        int devices;
        int bundles;
        Optional<PublishedBundle> other;
        try (FleetClient client = FleetDataOptions.open(serverDir, null, keys, EventSink.NONE)) {
            List<PublishedBundle> published = client.bundles();
            devices = client.devices().size();
            bundles = published.size();
            other = published.stream().filter(b -> b.name().equals(version) && !b.sha256().equals(sha)).findFirst();
        }
        if (other.isPresent()) {
            Path aside = serverDir.resolveSibling(serverDir.getFileName() + ".replaced-" + Instant.now().getEpochSecond());
            Files.move(serverDir, aside);
            return "a new fleet database: the old one held another " + version + " (fleet or the spec changed since), moved to "
                    + aside.getFileName();
        }
        return "the fleet database of earlier runs (" + devices + " devices, " + bundles + " bundles), kept";
    }

    /** gw-00001, or the next id after the earlier runs' devices. */
    static String nextDeviceId(List<DeviceRecord> devices) {
        int highest = 0;
        for (DeviceRecord d : devices) {
            Matcher m = DEVICE.matcher(d.id());
            if (m.matches()) {
                highest = Math.max(highest, Integer.parseInt(m.group(1)));
            }
        }
        return String.format(java.util.Locale.ROOT, "gw-%05d", highest + 1);
    }
}
