package io.fleetkit.ota.server.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.events.EventSink;
import io.fleetkit.events.FleetkitException;
import io.fleetkit.ota.protocol.DeviceReport;
import io.fleetkit.ota.protocol.UpdateState;
import io.fleetkit.ota.protocol.UpdateStatus;
import io.fleetkit.ota.server.LocalFleetClient;
import io.fleetkit.ota.server.db.Database;
import io.fleetkit.ota.server.db.DevicePage;
import io.fleetkit.ota.server.db.DeviceQuery;
import io.fleetkit.ota.server.db.DeviceRecord;
import io.fleetkit.ota.server.db.DeviceStore;
import io.fleetkit.ota.server.db.NetbootAssignment;
import io.fleetkit.ota.server.db.TokenStore;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Tokens, the audit log and device pages through the local fleet client, on H2 here and PostgreSQL in the subclass. */
class FleetAccessTest {

    private static final AtomicLong COUNTER = new AtomicLong();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);

    String freshUrl() throws Exception {
        return "jdbc:h2:mem:access" + COUNTER.incrementAndGet() + ";DB_CLOSE_DELAY=-1";
    }

    @Test
    void aTokenIsShownOnceAndOnlyItsHashIsStored() throws Exception {
        String url = freshUrl();
        NewToken t;
        try (LocalFleetClient client = LocalFleetClient.openDatabase(url, CLOCK, EventSink.NONE)) {
            t = client.createToken("ci-deploy", Role.OPERATOR);
            assertTrue(ApiToken.wellFormed(t.secret()), t.secret());
            assertFalse(t.toString().contains(t.secret()));
            assertEquals(List.of(new TokenInfo("ci-deploy", Role.OPERATOR, CLOCK.instant(), Actor.local().name(), null)), client.tokens());
            FleetkitException again = assertThrows(FleetkitException.class, () -> client.createToken("ci-deploy", Role.ADMIN));
            assertEquals("token.exists", again.code());
            assertEquals("token.bad-name", assertThrows(FleetkitException.class, () -> client.createToken("no spaces", Role.ADMIN)).code());
        }
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM api_tokens")) {
            assertTrue(rs.next());
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                String v = rs.getString(i);
                assertFalse(v != null && v.contains(t.secret().substring(ApiToken.PREFIX.length())), "column " + i + " holds the token");
            }
            assertEquals(ApiToken.sha256(t.secret()), rs.getString("token_sha256"));
            assertFalse(rs.next());
        }
    }

    @Test
    void aRevokedTokenIsGoneAndItsNameFree() throws Exception {
        try (Database db = Database.open(freshUrl()); LocalFleetClient client = LocalFleetClient.onDatabase(db, null, null, CLOCK, EventSink.NONE)) {
            NewToken t = client.createToken("alice", Role.ADMIN);
            assertEquals("alice", db.transaction(c -> new TokenStore().bySha256(c, ApiToken.sha256(t.secret()))).orElseThrow().name());
            client.revokeToken("alice");
            assertTrue(db.transaction(c -> new TokenStore().bySha256(c, ApiToken.sha256(t.secret()))).isEmpty());
            assertEquals("token.unknown", assertThrows(FleetkitException.class, () -> client.revokeToken("alice")).code());
            assertFalse(client.createToken("alice", Role.VIEWER).secret().equals(t.secret()));
        }
    }

    @Test
    void everyChangeIsAuditedWithItsActorAndNothingElse() throws Exception {
        try (Database db = Database.open(freshUrl()); LocalFleetClient local = LocalFleetClient.onDatabase(db, null, null, CLOCK, EventSink.NONE)) {
            report(db, "gw-001", "rpi4", "1.0.0");
            local.createToken("ops", Role.OPERATOR);
            LocalFleetClient remote = local.as(Actor.token("ops", "192.0.2.7"));
            remote.tagDevice("gw-001", List.of("lab", "eu", "lab"));
            remote.devices(); // reads are not changes
            remote.device("gw-001");
            local.assignNetboot(NetbootAssignment.Kind.TAG, "lab", "netboot-1");
            local.revoke("gw-001", null, "card lost");
            local.revokeToken("ops");
            assertThrows(FleetkitException.class, () -> remote.tagDevice("gw-404", List.of("x"))); // refused: not audited

            List<AuditEntry> log = local.audit(100);
            String user = Actor.local().name();
            assertEquals(List.of(
                    "1 " + user + " local token.create ops role operator",
                    "2 ops 192.0.2.7 device.tag gw-001 lab,eu",
                    "3 " + user + " local netboot.assign tag lab image netboot-1",
                    "4 " + user + " local device.revoke gw-001 every certificate: card lost",
                    "5 " + user + " local token.revoke ops null"),
                    log.stream().map(e -> e.seq() + " " + e.actor() + " " + e.source() + " " + e.action() + " " + e.target() + " " + e.detail())
                            .toList());
            assertTrue(log.stream().allMatch(e -> e.at().equals(CLOCK.instant())));
            assertEquals(List.of(4L, 5L), local.audit(2).stream().map(AuditEntry::seq).toList(), "the newest, oldest first");
            assertTrue(user.startsWith("local:"));
        }
    }

    @Test
    void pagesWalkTheFilteredFleetInIdOrderWithoutGapsOrRepeats() throws Exception {
        try (Database db = Database.open(freshUrl()); LocalFleetClient client = LocalFleetClient.onDatabase(db, null, null, CLOCK, EventSink.NONE)) {
            db.transaction(c -> {
                DeviceStore store = new DeviceStore();
                for (int i = 0; i < 230; i++) {
                    String id = String.format("gw-%04d", i);
                    store.applyReport(c, new DeviceReport(id, i % 3 == 0 ? "rpi4" : "qemu-arm64", i % 2 == 0 ? "1.0.0" : "2.0.0", 1, "A",
                            Map.of("A", "1.0.0"), UpdateStatus.IDLE, 1, 1, "0.1.0", i % 5 == 0 ? List.of("lab_1") : List.of("field")), CLOCK.instant());
                    store.setOnline(c, id, i % 7 != 0, CLOCK.instant());
                }
                return null;
            });
            List<DeviceRecord> all = client.devices();
            assertEquals(230, all.size());
            assertEquals(all, walk(client, DeviceQuery.FIRST_PAGE));
            DeviceQuery rpiLabOnline = new DeviceQuery("rpi4", "1.0.0", UpdateState.IDLE, "lab_1", true, null, 3);
            assertEquals(all.stream().filter(d -> d.board().equals("rpi4") && d.version().equals("1.0.0") && d.tags().contains("lab_1") && d.online())
                    .toList(), walk(client, rpiLabOnline));
            assertEquals(List.of(), walk(client, new DeviceQuery(null, null, null, "lab-1", null, null, 10)), "_ is not a wildcard");
            assertEquals(List.of(), walk(client, new DeviceQuery(null, null, UpdateState.DOWNLOADING, null, null, null, 10)));
            DevicePage last = client.devices(new DeviceQuery(null, null, null, null, null, "gw-0200", 29));
            assertEquals(29, last.devices().size());
            assertNull(last.next(), "exactly the rest: no empty page after it");
            assertEquals("devices.bad-limit", assertThrows(FleetkitException.class,
                    () -> new DeviceQuery(null, null, null, null, null, null, 1001)).code());
            assertEquals("devices.bad-tag", assertThrows(FleetkitException.class,
                    () -> new DeviceQuery(null, null, null, "%", null, null, 10)).code());
        }
    }

    private static List<DeviceRecord> walk(LocalFleetClient client, DeviceQuery first) throws Exception {
        List<DeviceRecord> out = new ArrayList<>();
        DeviceQuery q = first;
        while (true) {
            DevicePage p = client.devices(q);
            assertTrue(p.devices().size() <= q.limit());
            out.addAll(p.devices());
            if (p.next() == null) {
                return out;
            }
            assertEquals(p.devices().get(p.devices().size() - 1).id(), p.next());
            q = q.after(p.next());
        }
    }

    private static void report(Database db, String id, String board, String version) throws Exception {
        db.transaction(c -> new DeviceStore().applyReport(c, new DeviceReport(id, board, version, 1, "A", Map.of("A", version), UpdateStatus.IDLE,
                1, 1, "0.1.0", List.of()), CLOCK.instant()));
    }
}
