package io.fleetkit.ota.server.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.ota.protocol.DeviceReport;
import io.fleetkit.ota.protocol.UpdateStatus;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The schema steps on an empty database, on reopening, and against a newer schema (H2 here; PostgreSQL in the subclass). */
class SchemaMigrationsTest {

    static final List<String> TABLES = List.of("devices", "bundles", "rollouts", "rollout_devices", "events", "device_macs",
            "netboot_assignments", "api_tokens", "audit_log");
    private static final AtomicLong COUNTER = new AtomicLong();

    /** A new, empty database. */
    String freshUrl() throws SQLException {
        return "jdbc:h2:mem:migrations" + COUNTER.incrementAndGet() + ";DB_CLOSE_DELAY=-1";
    }

    static long version(Database db) throws SQLException {
        return db.transaction(c -> Sql.count(c, "SELECT version FROM schema_version"));
    }

    @Test
    void bringsAnEmptyDatabaseToTheLatestSchema() throws Exception {
        try (Database db = Database.open(freshUrl())) {
            assertEquals(SchemaMigrations.STEPS.size(), version(db));
            assertEquals(1L, (long) db.transaction(c -> Sql.count(c, "SELECT COUNT(*) FROM schema_version")));
            for (String table : TABLES) {
                assertEquals(0L, (long) db.transaction(c -> Sql.count(c, "SELECT COUNT(*) FROM " + table)), table);
            }
        }
    }

    @Test
    void reopeningChangesNothingAndKeepsTheRows() throws Exception {
        String url = freshUrl();
        DeviceReport report = new DeviceReport("gw-001", "rpi4", "1.0.0", 1_000_000, "A", Map.of("A", "1.0.0"), UpdateStatus.IDLE,
                1, 1, "0.1.0", List.of("lab")).withNetwork(List.of("dc:a6:32:01:02:03"), "10000000c0ffee01");
        try (Database db = Database.open(url)) {
            db.transaction(c -> {
                new DeviceStore().applyReport(c, report, Instant.EPOCH);
                return null;
            });
        }
        for (int restart = 0; restart < 2; restart++) {
            try (Database db = Database.open(url)) {
                assertEquals(SchemaMigrations.STEPS.size(), version(db));
                assertEquals(1L, (long) db.transaction(c -> Sql.count(c, "SELECT COUNT(*) FROM schema_version")));
                DeviceRecord d = db.transaction(c -> new DeviceStore().find(c, "gw-001")).orElseThrow();
                assertEquals(List.of("lab"), d.tags());
                assertEquals(List.of("dc:a6:32:01:02:03"), d.macs());
                assertEquals("10000000c0ffee01", d.serial());
            }
        }
    }

    @Test
    void refusesADatabaseOfANewerServer() throws Exception {
        String url = freshUrl();
        try (Database db = Database.open(url)) {
            db.transaction(c -> Sql.update(c, "UPDATE schema_version SET version = ?", SchemaMigrations.STEPS.size() + 1));
        }
        SQLException e = assertThrows(SQLException.class, () -> Database.open(url).close());
        assertTrue(e.getMessage().contains("newer than this server"), e.getMessage());
    }

    @Test
    void countersCarryOnFromTheKeysOfAnOlderSchema() throws Exception {
        String url = freshUrl();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url); java.sql.Statement s = c.createStatement()) {
            for (List<String> step : SchemaMigrations.STEPS.subList(0, 4)) {
                for (String sql : step) {
                    s.execute(sql);
                }
            }
            s.execute("CREATE TABLE schema_version (version INT NOT NULL)");
            s.executeUpdate("INSERT INTO schema_version (version) VALUES (4)");
            s.executeUpdate("INSERT INTO rollouts (id, seq, target, selector, phases, max_failures, timeout_ms, state, current_phase,"
                    + " phase_count, created_at, updated_at) VALUES ('r-3', 3, '2.0.0', 'all', '1', 0.0, 60000, 'FINISHED', 0, 1, 0, 0)");
            s.executeUpdate("INSERT INTO netboot_assignments (kind, target, image, seq, created_at) VALUES ('TAG', 'lab', 'img', 2, 0)");
        }
        try (Database db = Database.open(url)) {
            assertEquals(SchemaMigrations.STEPS.size(), version(db));
            Counters counters = new Counters();
            assertEquals(4L, (long) db.transaction(c -> counters.next(c, Counters.ROLLOUTS)));
            assertEquals(3L, (long) db.transaction(c -> counters.next(c, Counters.NETBOOT_ASSIGNMENTS)));
            assertEquals(5L, (long) db.transaction(c -> counters.next(c, Counters.ROLLOUTS)));
        }
    }
}
