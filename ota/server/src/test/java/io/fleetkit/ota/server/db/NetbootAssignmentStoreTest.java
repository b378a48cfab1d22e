package io.fleetkit.ota.server.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.ota.protocol.DeviceReport;
import io.fleetkit.ota.protocol.UpdateStatus;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Netboot assignments on a real H2 file (PostgreSQL in the subclass): matching clients to devices,
 * precedence, and the schema step that adds them.
 */
class NetbootAssignmentStoreTest {

    private static final Instant T0 = Instant.parse("2026-11-28T00:00:00Z");
    private static final NetbootAssignment.Kind DEVICE = NetbootAssignment.Kind.DEVICE;
    private static final NetbootAssignment.Kind TAG = NetbootAssignment.Kind.TAG;

    @TempDir
    Path dir;

    private Database db;
    private int databases;
    private final DeviceStore devices = new DeviceStore();
    private final NetbootAssignmentStore store = new NetbootAssignmentStore();

    /** A new, empty database. */
    String freshUrl() throws Exception {
        return Database.h2Url(dir.resolve("db" + ++databases));
    }

    @BeforeEach
    void open() throws Exception {
        db = Database.open(freshUrl());
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static DeviceReport report(String id, List<String> macs, String serial) {
        return new DeviceReport(id, "rpi4", "1.0.0", 1_000_000, "A", Map.of("A", "1.0.0"), UpdateStatus.IDLE, 1, 1, "0.1.0", List.of())
                .withNetwork(macs, serial);
    }

    private void reports(String id, List<String> macs, String serial) throws Exception {
        db.transaction(c -> {
            devices.applyReport(c, report(id, macs, serial), T0);
            return null;
        });
    }

    private Optional<String> image(String mac, String serial) throws Exception {
        return db.transaction(c -> store.imageFor(c, mac, serial));
    }

    private void put(NetbootAssignment.Kind kind, String target, String image) throws Exception {
        db.transaction(c -> {
            store.put(c, kind, target, image, T0);
            return null;
        });
    }

    private void tag(String id, String... tags) throws Exception {
        db.transaction(c -> {
            devices.setTags(c, id, List.of(tags));
            return null;
        });
    }

    @Test
    void deviceAssignmentBeatsTagAssignment() throws Exception {
        reports("gw-001", List.of("dc:a6:32:01:02:03"), null);
        tag("gw-001", "lab");
        put(TAG, "lab", "lab-image");
        assertEquals(Optional.of("lab-image"), image("dc:a6:32:01:02:03", null));
        put(DEVICE, "gw-001", "special");
        assertEquals(Optional.of("special"), image("DC-A6-32-01-02-03", null));
        db.transaction(c -> store.remove(c, DEVICE, "gw-001"));
        assertEquals(Optional.of("lab-image"), image("dc:a6:32:01:02:03", null));
    }

    @Test
    void changingADevicesTagsChangesItsImageOnTheNextLookup() throws Exception {
        reports("gw-001", List.of("dc:a6:32:01:02:03"), null);
        put(TAG, "lab", "lab-image");
        put(TAG, "field", "field-image");
        tag("gw-001", "lab");
        assertEquals(Optional.of("lab-image"), image("dc:a6:32:01:02:03", null));
        tag("gw-001", "field");
        assertEquals(Optional.of("field-image"), image("dc:a6:32:01:02:03", null));
        tag("gw-001");
        assertEquals(Optional.empty(), image("dc:a6:32:01:02:03", null));
    }

    @Test
    void ofSeveralTagsTheOneAssignedFirstWinsEvenAfterItsImageChanges() throws Exception {
        reports("gw-001", List.of("dc:a6:32:01:02:03"), null);
        tag("gw-001", "zeta", "alpha");
        put(TAG, "zeta", "z-image");
        put(TAG, "alpha", "a-image");
        assertEquals(Optional.of("z-image"), image("dc:a6:32:01:02:03", null));
        put(TAG, "zeta", "z2-image");
        assertEquals(Optional.of("z2-image"), image("dc:a6:32:01:02:03", null));
        List<NetbootAssignment> all = db.transaction(store::list);
        assertEquals(List.of("zeta", "alpha"), all.stream().map(NetbootAssignment::target).toList());
        db.transaction(c -> store.remove(c, TAG, "zeta"));
        assertEquals(Optional.of("a-image"), image("dc:a6:32:01:02:03", null));
    }

    @Test
    void unknownMacOrSerialGivesNothing() throws Exception {
        reports("gw-001", List.of("dc:a6:32:01:02:03"), "10000000c0ffee01");
        put(DEVICE, "gw-001", "special");
        assertEquals(Optional.empty(), image("dc:a6:32:99:99:99", null));
        assertEquals(Optional.empty(), image("dc:a6:32:99:99:99", "deadbeef"));
        assertEquals(Optional.empty(), image(null, null));
        assertEquals(Optional.empty(), image("not-a-mac", null));
    }

    @Test
    void piSerialFindsTheDeviceWhenTheMacIsUnknown() throws Exception {
        reports("pi-007", List.of("dc:a6:32:07:07:07"), "10000000C0FFEE01");
        put(DEVICE, "pi-007", "pi-image");
        assertEquals(Optional.of("pi-image"), image(null, "c0ffee01"));
        assertEquals(Optional.of("pi-image"), image("dc:a6:32:99:99:99", "c0ffee01"));
        DeviceRecord d = db.transaction(c -> devices.find(c, "pi-007")).orElseThrow();
        assertEquals("10000000C0FFEE01", d.serial());
        assertEquals(List.of("dc:a6:32:07:07:07"), d.macs());
    }

    @Test
    void aMacStaysWithTheDeviceThatHoldsItUntilThatDeviceReportsWithoutItAndOldReportsKeepStoredMacs() throws Exception {
        reports("gw-001", List.of("dc:a6:32:01:02:03", "dc:a6:32:01:02:04"), null);
        put(DEVICE, "gw-001", "one");
        put(DEVICE, "gw-002", "two");
        // another device's report cannot take a MAC (it steers netboot)
        reports("gw-002", List.of("dc:a6:32:01:02:04"), null);
        assertEquals(Optional.of("one"), image("dc:a6:32:01:02:03", null));
        assertEquals(Optional.of("one"), image("dc:a6:32:01:02:04", null));
        reports("gw-001", List.of(), null);
        assertEquals(List.of("dc:a6:32:01:02:03", "dc:a6:32:01:02:04"), db.transaction(c -> devices.find(c, "gw-001")).orElseThrow().macs());
        // once gw-001 reports without it, the MAC is free
        reports("gw-001", List.of("dc:a6:32:01:02:03"), null);
        reports("gw-002", List.of("dc:a6:32:01:02:04"), null);
        assertEquals(Optional.of("two"), image("dc:a6:32:01:02:04", null));
        List<DeviceRecord> all = db.transaction(devices::list);
        assertEquals(List.of(List.of("dc:a6:32:01:02:03"), List.of("dc:a6:32:01:02:04")), all.stream().map(DeviceRecord::macs).toList());
    }

    @Test
    void aSerialStaysWithTheDeviceThatHoldsIt() throws Exception {
        reports("pi-001", List.of(), "10000000c0ffee01");
        reports("pi-002", List.of(), "10000000c0ffee01");
        assertEquals("10000000c0ffee01", db.transaction(c -> devices.find(c, "pi-001")).orElseThrow().serial());
        assertEquals(null, db.transaction(c -> devices.find(c, "pi-002")).orElseThrow().serial());
    }

    @Test
    void refusesBadTargetsAndImageNames() throws Exception {
        assertEquals("netboot.bad-assignment-target", assertThrows(FleetkitException.class, () -> put(DEVICE, "gw/1", "x")).code());
        assertEquals("netboot.bad-assignment-target", assertThrows(FleetkitException.class, () -> put(TAG, "a,b", "x")).code());
        assertEquals("netboot.bad-image-name", assertThrows(FleetkitException.class, () -> put(TAG, "lab", "../x")).code());
        boolean removed = db.transaction(c -> store.remove(c, TAG, "lab"));
        assertFalse(removed);
        assertTrue(db.transaction(store::list).isEmpty());
    }

    @Test
    void migratingASchemaOneDatabaseKeepsItsDevices() throws Exception {
        db.close();
        String url = freshUrl();
        try (var c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            for (String sql : SchemaMigrations.STEPS.get(0)) {
                s.execute(sql);
            }
            s.execute("CREATE TABLE schema_version (version INT NOT NULL)");
            s.execute("INSERT INTO schema_version (version) VALUES (1)");
            s.execute("INSERT INTO devices (id, board, version, version_number, tags, online) VALUES ('gw-001', 'rpi4', '1.0.0', 1000000, ',lab,', TRUE)");
        }
        db = Database.open(url);
        DeviceRecord d = db.transaction(c -> devices.find(c, "gw-001")).orElseThrow();
        assertEquals("1.0.0", d.version());
        assertEquals(List.of("lab"), d.tags());
        assertEquals(List.of(), d.macs());
        assertNull(d.serial());
        assertEquals((long) SchemaMigrations.STEPS.size(),
                (long) db.transaction(c -> Sql.count(c, "SELECT version FROM schema_version")));
        reports("gw-001", List.of("dc:a6:32:01:02:03"), null);
        put(TAG, "lab", "lab-image");
        assertEquals(Optional.of("lab-image"), image("dc:a6:32:01:02:03", null));
    }
}
