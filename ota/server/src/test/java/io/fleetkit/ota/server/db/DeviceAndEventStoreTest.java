package io.fleetkit.ota.server.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.ota.protocol.BundleRef;
import io.fleetkit.ota.protocol.DesiredUpdate;
import io.fleetkit.ota.protocol.DeviceReport;
import io.fleetkit.ota.protocol.UpdateEvent;
import io.fleetkit.ota.protocol.UpdateState;
import io.fleetkit.ota.protocol.UpdateStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The devices and events tables as the server writes them: reports with their nulls, the desired outbox, events (H2; PostgreSQL in the subclass). */
class DeviceAndEventStoreTest {

    private static final Instant T0 = Instant.parse("2026-11-28T00:00:00Z");
    private static final AtomicLong COUNTER = new AtomicLong();

    private Database db;
    private final DeviceStore devices = new DeviceStore();
    private final EventStore events = new EventStore();

    /** A new, empty database. */
    String freshUrl() throws Exception {
        return "jdbc:h2:mem:devices" + COUNTER.incrementAndGet() + ";DB_CLOSE_DELAY=-1";
    }

    @BeforeEach
    void open() throws Exception {
        db = Database.open(freshUrl());
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static DeviceReport report(String id, UpdateStatus status) {
        Map<String, String> slots = new LinkedHashMap<>();
        slots.put("A", "1.0.0");
        slots.put("B", null);
        return new DeviceReport(id, "rpi4", "1.0.0", 1_000_000, "A", slots, status, 5_000_000_000L, 3600, "0.1.0", List.of(),
                List.of(), null);
    }

    private void apply(DeviceReport r, Instant now) throws Exception {
        db.transaction(c -> {
            devices.applyReport(c, r, now);
            return null;
        });
    }

    private DeviceRecord find(String id) throws Exception {
        return db.transaction(c -> devices.find(c, id)).orElseThrow();
    }

    private static DesiredUpdate desired(String version) {
        return new DesiredUpdate(version, 2_000_000, "r-1", new BundleRef("ab".repeat(32), 5096, 1000, 4096, 1), null);
    }

    @Test
    void aReportIsStoredWithItsNullsAndTheSameReportTwiceLeavesOneRow() throws Exception {
        apply(report("gw-001", new UpdateStatus(UpdateState.DOWNLOADING, "2.0.0", 0.25, null)), T0);
        apply(report("gw-001", new UpdateStatus(UpdateState.DOWNLOADING, "2.0.0", 0.25, null)), T0);
        DeviceRecord d = find("gw-001");
        assertEquals(1, db.transaction(devices::list).size());
        assertEquals(1_000_000, d.versionNumber());
        Map<String, String> slots = new LinkedHashMap<>();
        slots.put("A", "1.0.0");
        slots.put("B", null);
        assertEquals(slots, d.slotVersions());
        assertEquals(UpdateState.DOWNLOADING, d.updateState());
        assertEquals("2.0.0", d.updateTarget());
        assertEquals(0.25, d.updateProgress());
        assertNull(d.updateReason());
        assertEquals(5_000_000_000L, d.freeBytes());
        assertEquals(T0, d.lastSeen());
        assertNull(d.serial());
        assertNull(d.desired());
        assertFalse(d.online());

        apply(report("gw-001", new UpdateStatus(UpdateState.FAILED, "2.0.0", 0.0, "download.bad-chunk")), T0.plusSeconds(1));
        db.transaction(c -> {
            devices.setOnline(c, "gw-001", true, T0.plusSeconds(2));
            devices.setTags(c, "gw-001", List.of("lab", "north"));
            devices.touch(c, "gw-002", T0.plusSeconds(3)); // heard of before its first report
            return null;
        });
        d = find("gw-001");
        assertEquals("download.bad-chunk", d.updateReason());
        assertTrue(d.online());
        assertEquals(T0.plusSeconds(2), d.lastSeen());
        assertEquals(List.of("lab", "north"), d.tags());
        assertEquals(List.of("gw-001", "gw-002"), db.transaction(devices::list).stream().map(DeviceRecord::id).toList());
        assertNull(find("gw-002").version());
    }

    @Test
    void theHostNameAndSettingsOfTheLastReportAreKept() throws Exception {
        UpdateStatus idle = new UpdateStatus(UpdateState.IDLE, null, 0, null);
        apply(report("gw-001", idle), T0);
        assertNull(find("gw-001").hostname());
        assertEquals(Map.of(), find("gw-001").settings());

        apply(report("gw-001", idle).withSettings("gw-7", Map.of("location", "lab-3", "zone", "\"b\"")), T0.plusSeconds(1));
        DeviceRecord d = find("gw-001");
        assertEquals("gw-7", d.hostname());
        assertEquals(Map.of("location", "lab-3", "zone", "\"b\""), d.settings());
        assertEquals(d.settings(), db.transaction(devices::list).get(0).settings());
    }

    @Test
    void desiredUpdatesStayPendingUntilPublishedAndComeBackAfterABrokerReconnect() throws Exception {
        apply(report("gw-001", UpdateStatus.IDLE), T0);
        apply(report("gw-002", UpdateStatus.IDLE), T0);
        db.transaction(c -> {
            devices.setDesired(c, "gw-001", desired("2.0.0"));
            devices.setDesired(c, "gw-001", desired("2.0.0")); // unchanged: not a new revision
            devices.setDesired(c, "gw-002", desired("2.0.0"));
            return null;
        });
        List<DeviceStore.PendingDesired> pending = db.transaction(c -> devices.pendingDesired(c, 10));
        assertEquals(List.of("gw-001", "gw-002"), pending.stream().map(DeviceStore.PendingDesired::deviceId).toList());
        assertEquals(1, pending.get(0).rev());
        assertEquals(desired("2.0.0"), DesiredUpdate.decode(pending.get(0).payload()));
        assertEquals(1, db.transaction(c -> devices.pendingDesired(c, 1)).size());

        db.transaction(c -> {
            devices.markPublished(c, "gw-001", 1);
            devices.markPublished(c, "gw-002", 1);
            devices.markPublished(c, "gw-002", 0); // a late acknowledgement of an older revision changes nothing
            return null;
        });
        assertTrue(db.transaction(c -> devices.pendingDesired(c, 10)).isEmpty());
        assertEquals(desired("2.0.0"), find("gw-001").desired());

        db.transaction(c -> {
            devices.setDesired(c, "gw-001", DesiredUpdate.none());
            return null;
        });
        pending = db.transaction(c -> devices.pendingDesired(c, 10));
        assertEquals(1, pending.size());
        assertEquals(2, pending.get(0).rev());
        assertEquals("{\"schema\":1,\"version\":null}", new String(pending.get(0).payload(), StandardCharsets.UTF_8));

        db.transaction(c -> {
            devices.republishAll(c);
            return null;
        });
        assertEquals(2, db.transaction(c -> devices.pendingDesired(c, 10)).size());
    }

    @Test
    void anEventIsStoredOnceAndTheNewestAreListedInOrder() throws Exception {
        for (long seq = 1; seq <= 5; seq++) {
            long s = seq;
            assertTrue((boolean) db.transaction(c -> events.add(c, new UpdateEvent("gw-001", s, UpdateState.DOWNLOADING, "2.0.0", null, null,
                    s == 3 ? null : T0.plusSeconds(s)), T0.plusSeconds(10 + s))));
        }
        assertFalse((boolean) db.transaction(c -> events.add(c, new UpdateEvent("gw-001", 3, UpdateState.FAILED, "2.0.0", "x", "y", null),
                T0.plusSeconds(20))));
        db.transaction(c -> events.add(c, new UpdateEvent("gw-002", 1, UpdateState.ROLLED_BACK, "2.0.0", "health.check-failed",
                "check 'http' exited 1", T0), T0));

        List<EventRecord> newest = db.transaction(c -> events.forDevice(c, "gw-001", 3));
        assertEquals(List.of(3L, 4L, 5L), newest.stream().map(EventRecord::seq).toList());
        assertEquals(UpdateState.DOWNLOADING, newest.get(0).state());
        assertNull(newest.get(0).ts());
        assertNull(newest.get(0).reason());
        assertEquals(T0.plusSeconds(13), newest.get(0).receivedAt());
        assertEquals(T0.plusSeconds(4), newest.get(1).ts());
        EventRecord other = db.transaction(c -> events.forDevice(c, "gw-002", 10)).get(0);
        assertEquals("check 'http' exited 1", other.message());
    }
}
