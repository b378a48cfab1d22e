package io.fleetkit.ota.server.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.ota.protocol.DeviceReport;
import io.fleetkit.ota.protocol.UpdateStatus;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link SchemaMigrationsTest} on a real PostgreSQL server, each test in a database of its own; plus schemas as separate fleets. */
class SchemaMigrationsOnPostgresTest extends SchemaMigrationsTest {

    @RegisterExtension
    static final PostgresServer pg = new PostgresServer();

    @Override
    String freshUrl() throws SQLException {
        return pg.createDatabase();
    }

    @Test
    void eachSchemaOfOneDatabaseHoldsAFleetOfItsOwn() throws Exception {
        String url = pg.createDatabase();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA lab");
            s.execute("CREATE SCHEMA factory");
        }
        DeviceReport report = new DeviceReport("gw-001", "rpi4", "1.0.0", 1_000_000, "A", Map.of("A", "1.0.0"), UpdateStatus.IDLE,
                1, 1, "0.1.0", List.of());
        try (Database lab = Database.open(url + "&currentSchema=lab")) {
            lab.transaction(c -> {
                new DeviceStore().applyReport(c, report, Instant.EPOCH);
                return null;
            });
        }
        try (Database factory = Database.open(url + "&currentSchema=factory"); Database lab = Database.open(url + "&currentSchema=lab")) {
            assertEquals(SchemaMigrations.STEPS.size(), version(factory));
            assertTrue(factory.transaction(c -> new DeviceStore().list(c)).isEmpty());
            assertEquals(List.of("gw-001"), lab.transaction(c -> new DeviceStore().list(c)).stream().map(DeviceRecord::id).toList());
        }
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "nothing may land in the public schema");
        }
    }

    @Test
    void serversStartingTogetherApplyTheStepsOnce() throws Exception {
        String url = pg.createDatabase();
        List<java.util.concurrent.Callable<Long>> servers = java.util.Collections.nCopies(4, () -> {
            try (Database db = Database.open(url)) {
                return version(db);
            }
        });
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            for (java.util.concurrent.Future<Long> opened : pool.invokeAll(servers)) {
                assertEquals(SchemaMigrations.STEPS.size(), (long) opened.get());
            }
        } finally {
            pool.shutdownNow();
        }
        try (Database db = Database.open(url)) {
            assertEquals(1L, (long) db.transaction(c -> Sql.count(c, "SELECT COUNT(*) FROM schema_version")));
            assertEquals(3L, (long) db.transaction(c -> Sql.count(c, "SELECT COUNT(*) FROM counters")), "rollouts, netboot_assignments, audit_log: once each");
        }
    }

    @Test
    void twoServersNeverGetTheSameNumber() throws Exception {
        String url = pg.createDatabase();
        try (Database one = Database.open(url); Database two = Database.open(url)) {
            Counters counters = new Counters();
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                List<java.util.concurrent.Future<List<Long>>> taken = pool.invokeAll(List.of(numbers(one, counters), numbers(two, counters)));
                java.util.Set<Long> all = new java.util.TreeSet<>();
                for (java.util.concurrent.Future<List<Long>> f : taken) {
                    all.addAll(f.get());
                }
                assertEquals(java.util.stream.LongStream.rangeClosed(1, 100).boxed().toList(), List.copyOf(all));
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static java.util.concurrent.Callable<List<Long>> numbers(Database db, Counters counters) {
        return () -> {
            List<Long> out = new java.util.ArrayList<>();
            for (int i = 0; i < 50; i++) {
                out.add(db.transaction(c -> counters.next(c, Counters.ROLLOUTS)));
            }
            return out;
        };
    }
}
