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
}
