package io.fleetkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fleetkit.events.EventSink;
import io.fleetkit.events.FleetkitException;
import io.fleetkit.netboot.AssignmentTable;
import io.fleetkit.netboot.Assignments;
import io.fleetkit.netboot.ClientIdentity;
import io.fleetkit.ota.protocol.DeviceReport;
import io.fleetkit.ota.protocol.UpdateStatus;
import io.fleetkit.ota.server.FleetClient;
import io.fleetkit.ota.server.LocalFleetClient;
import io.fleetkit.ota.server.db.Database;
import io.fleetkit.ota.server.db.DeviceStore;
import io.fleetkit.ota.server.db.NetbootAssignment;
import io.fleetkit.ota.server.db.NetbootAssignmentStore;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Netboot assignments read live through the fleet client from a real H2 fleet database, also while another process (the server) holds it. */
class FleetNetbootAssignmentsTest {

    private static final String MAC = "dc:a6:32:01:02:03";
    private static final Instant NOW = Instant.parse("2026-11-28T00:00:00Z");

    @TempDir
    Path dir;

    private static FleetClient client(String url) throws Exception {
        return LocalFleetClient.openDatabase(url, Clock.systemUTC(), EventSink.NONE);
    }

    private static void seed(Database db) throws Exception {
        db.transaction(c -> {
            new DeviceStore().applyReport(c, new DeviceReport("pi-001", "rpi4", "1.0.0", 1_000_000, "A", Map.of("A", "1.0.0"),
                    UpdateStatus.IDLE, 1, 1, "0.1.0", List.of()).withNetwork(List.of(MAC), "10000000c0ffee01"), NOW);
            new DeviceStore().setTags(c, "pi-001", List.of("lab"));
            new NetbootAssignmentStore().put(c, NetbootAssignment.Kind.TAG, "lab", "lab-image", NOW);
            new NetbootAssignmentStore().put(c, NetbootAssignment.Kind.TAG, "field", "field-image", NOW);
            return null;
        });
    }

    @Test
    void findsTheImageByMacOrPiSerialAndFollowsTagChangesWithoutReopening() throws Exception {
        String url = Database.h2Url(dir);
        try (Database db = Database.open(url); FleetClient client = client(url)) {
            FleetNetbootAssignments assignments = new FleetNetbootAssignments(client, EventSink.NONE);
            seed(db);
            assertEquals(Optional.of("lab-image"), assignments.imageFor(ClientIdentity.ofMac(MAC)));
            assertEquals(Optional.of("lab-image"), assignments.imageFor(new ClientIdentity(null, "c0ffee01")));
            assertEquals(Optional.empty(), assignments.imageFor(ClientIdentity.ofMac("dc:a6:32:99:99:99")));
            assertEquals(Optional.empty(), assignments.imageFor(ClientIdentity.UNKNOWN));
            db.transaction(c -> {
                new DeviceStore().setTags(c, "pi-001", List.of("field"));
                return null;
            });
            assertEquals(Optional.of("field-image"), assignments.imageFor(ClientIdentity.ofMac(MAC)));
            assertEquals(List.of("field-image", "lab-image"), assignments.imageNames());
        }
    }

    @Test
    void flagsWinOverTheDatabaseWhichWinsOverTheFlagsDefault() throws Exception {
        try (FleetClient client = client(Database.h2Url(dir))) {
            FleetNetbootAssignments db = new FleetNetbootAssignments(client, EventSink.NONE);
            try (Database seeding = Database.open(Database.h2Url(dir))) {
                seed(seeding);
            }
            Assignments both = AssignmentTable.parse(List.of("dc:a6:32:0a:0b:0c=pinned", "default=fallback"), "--assign").over(db);
            assertEquals(Optional.of("lab-image"), both.imageFor(ClientIdentity.ofMac(MAC)));
            assertEquals(Optional.of("fallback"), both.imageFor(ClientIdentity.ofMac("dc:a6:32:99:99:99")));
            assertEquals(Optional.of("pinned"), both.imageFor(ClientIdentity.ofMac("dc:a6:32:0a:0b:0c")));
            Assignments pinned = AssignmentTable.parse(List.of(MAC + "=pinned"), "--assign").over(db);
            assertEquals(Optional.of("pinned"), pinned.imageFor(ClientIdentity.ofMac(MAC)));
            assertEquals(Optional.empty(), pinned.imageFor(ClientIdentity.ofMac("dc:a6:32:99:99:99")));
        }
    }

    @Test
    void aFailingDatabaseFailsTheLookupInsteadOfBootingTheDefault() throws Exception {
        try (Database db = Database.open(Database.h2Url(dir)); FleetClient client = client(Database.h2Url(dir))) {
            FleetNetbootAssignments assignments = new FleetNetbootAssignments(client, EventSink.NONE);
            seed(db);
            db.transaction(c -> c.createStatement().execute("DROP TABLE netboot_assignments"));
            FleetkitException e = assertThrows(FleetkitException.class, () -> assignments.imageFor(ClientIdentity.ofMac(MAC)));
            assertEquals("netboot.db-failed", e.code());
            assertEquals(true, e.getMessage().contains(MAC), e.getMessage());
        }
    }

    @Test
    void readsWhileAnotherProcessHoldsTheH2DatabaseAndSeesItsChangesAtOnce() throws Exception {
        String url = Database.h2Url(dir);
        Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), FleetDatabaseProcessMain.class.getName(), url)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter in = new PrintWriter(server.getOutputStream(), true, StandardCharsets.UTF_8)) {
            assertEquals("ready", out.readLine());
            for (String command : List.of("report pi-001 " + MAC, "tag pi-001 lab", "assign-tag lab lab-image",
                    "assign-tag field field-image")) {
                in.println(command);
                assertEquals("ok", out.readLine(), command);
            }
            try (FleetClient client = client(url)) {
                FleetNetbootAssignments assignments = new FleetNetbootAssignments(client, EventSink.NONE);
                assertEquals(Optional.of("lab-image"), assignments.imageFor(ClientIdentity.ofMac(MAC)));
                in.println("tag pi-001 field");
                assertEquals("ok", out.readLine());
                assertEquals(Optional.of("field-image"), assignments.imageFor(ClientIdentity.ofMac(MAC)));
                in.println("assign-device pi-001 own-image");
                assertEquals("ok", out.readLine());
                assertEquals(Optional.of("own-image"), assignments.imageFor(ClientIdentity.ofMac(MAC)));
            }
        } finally {
            server.destroy();
            server.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
