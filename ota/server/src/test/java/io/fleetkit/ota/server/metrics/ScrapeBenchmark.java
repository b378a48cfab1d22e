package io.fleetkit.ota.server.metrics;

import io.fleetkit.events.EventSink;
import io.fleetkit.ota.protocol.DeviceReport;
import io.fleetkit.ota.protocol.UpdateState;
import io.fleetkit.ota.protocol.UpdateStatus;
import io.fleetkit.ota.server.db.Database;
import io.fleetkit.ota.server.db.DeviceStore;
import io.fleetkit.ota.server.db.Sql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@code /metrics} scrape costs as the fleet grows (a program, not a test; {@code bench/run metrics}). For each
 * size: that many devices (five versions, two boards, every update state, half online) and one running rollout over
 * all of them in two phases, in an H2 file database as {@code fleet server} keeps it; then 30 readings and 30 whole
 * scrapes, each after a device changed (so H2 cannot answer from its cache of query results). Prints the median and
 * slowest reading (the database's part), whole scrape (reading and rendering), and the body's size.
 */
public final class ScrapeBenchmark {

    private static final int SCRAPES = 30;

    private ScrapeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int[] sizes = args.length > 0 ? Arrays.stream(args).mapToInt(Integer::parseInt).toArray() : new int[] {100, 1_000, 10_000};
        System.out.printf("%-8s | %-22s | %-22s | %s%n", "devices", "reading ms (med, max)", "scrape ms (med, max)", "body bytes");
        for (int n : sizes) {
            Path dir = Files.createTempDirectory("fleet-scrape-bench");
            try (Database db = Database.open(Database.h2Url(dir))) {
                fill(db, n);
                try (ServerMetrics metrics = new ServerMetrics(db, () -> true, EventSink.NONE)) {
                    metrics.scrape(); // warm
                    double[] reading = new double[SCRAPES];
                    double[] scrape = new double[SCRAPES];
                    int bytes = 0;
                    for (int i = 0; i < SCRAPES; i++) {
                        change(db, i);
                        long a = System.nanoTime();
                        FleetReading.read(db, e -> {
                            throw new IllegalStateException(e);
                        });
                        reading[i] = (System.nanoTime() - a) / 1e6;
                        change(db, i + 1);
                        long b = System.nanoTime();
                        bytes = metrics.scrape().length();
                        scrape[i] = (System.nanoTime() - b) / 1e6;
                    }
                    System.out.printf("%-8d | %-22s | %-22s | %d%n", n, medianAndMax(reading), medianAndMax(scrape), bytes);
                }
            }
        }
        System.exit(0);
    }

    /** A device goes on- or offline, so the next reading cannot reuse a cached result. */
    private static void change(Database db, int i) throws Exception {
        db.transaction(c -> {
            new DeviceStore().setOnline(c, id(1), i % 2 == 0, Instant.now());
            return null;
        });
    }

    private static String id(int i) {
        return String.format("gw-%06d", i);
    }

    private static void fill(Database db, int n) throws Exception {
        UpdateState[] states = UpdateState.values();
        db.transaction(c -> {
            DeviceStore s = new DeviceStore();
            for (int i = 0; i < n; i++) {
                String v = "1." + (i % 5) + ".0";
                Map<String, String> slots = new LinkedHashMap<>();
                slots.put("A", v);
                slots.put("B", null);
                s.applyReport(c, new DeviceReport(id(i), i % 3 == 0 ? "rpi4" : "qemu-arm64", v, 1_000_000 + (i % 5) * 1000L, "A", slots,
                        new UpdateStatus(states[i % states.length], null, 0.0, null), 1L << 30, 10, "0.1.0", List.of()), Instant.now());
                s.setOnline(c, id(i), i % 2 == 0, Instant.now());
            }
            Sql.update(c, "INSERT INTO rollouts (id, target, selector, phases, max_failures, timeout_ms, state, current_phase, phase_count,"
                    + " accepted_failures, reason, created_at, updated_at, seq) VALUES ('r-1', '1.5.0', '', '10%,100%', 0.1, 600000, 'RUNNING', 1, 2, 0,"
                    + " NULL, 0, 0, 1)");
            for (int i = 0; i < n; i++) {
                boolean first = i < n / 10;
                Sql.update(c, "INSERT INTO rollout_devices (rollout_id, device_id, phase, bundle_sha256, state, reason, offered_at, updated_at)"
                        + " VALUES ('r-1', ?, ?, 'x', ?, NULL, NULL, 0)", id(i), first ? 0 : 1,
                        first ? "SUCCEEDED" : i % 7 == 0 ? "FAILED" : i % 3 == 0 ? "OFFERED" : "PENDING");
            }
            return null;
        });
    }

    private static String medianAndMax(double[] ms) {
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        return String.format("%.1f, %.1f", sorted[sorted.length / 2], sorted[sorted.length - 1]);
    }
}
