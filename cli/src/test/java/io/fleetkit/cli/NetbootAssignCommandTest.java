package io.fleetkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.json.JsonParser;
import io.fleetkit.ota.protocol.DeviceReport;
import io.fleetkit.ota.protocol.UpdateStatus;
import io.fleetkit.ota.server.db.Database;
import io.fleetkit.ota.server.db.DeviceStore;
import io.fleetkit.ota.server.db.NetbootAssignmentStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `fleet netboot assign/unassign/assignments` on a real fleet data directory (H2), checked through --json and the store. */
class NetbootAssignCommandTest {

    @TempDir
    Path data;

    @BeforeEach
    void fleetWithTwoLabDevices() throws Exception {
        try (Database db = Database.open(Database.h2Url(data))) {
            db.transaction(c -> {
                DeviceStore devices = new DeviceStore();
                int n = 1;
                for (String id : List.of("gw-001", "gw-002")) {
                    devices.applyReport(c, new DeviceReport(id, "rpi4", "1.0.0", 1_000_000, "A", Map.of("A", "1.0.0"), UpdateStatus.IDLE,
                            1, 1, "0.1.0", List.of("lab")).withNetwork(List.of("dc:a6:32:00:00:0" + n++), null), Instant.now());
                }
                return null;
            });
        }
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> assignmentsJson(String... dbArgs) {
        String[] args = new String[3 + dbArgs.length];
        args[0] = "netboot";
        args[1] = "assignments";
        args[2] = "--json";
        System.arraycopy(dbArgs, 0, args, 3, dbArgs.length);
        CliRun r = CliRun.fleet(args);
        assertEquals(0, r.code(), r.err());
        return (List<Map<String, Object>>) JsonParser.parse(r.out());
    }

    @Test
    void assignThenListShowsWhichDevicesEachAssignmentDecides() throws Exception {
        CliRun tag = CliRun.fleet("netboot", "assign", "--tag", "lab", "lab-image", "--data", data.toString());
        assertEquals(0, tag.code(), tag.err());
        assertTrue(tag.out().contains("tag lab netboots lab-image") && tag.out().contains("gw-001, gw-002"), tag.out());
        CliRun device = CliRun.fleet("netboot", "assign", "--device", "gw-002", "special", "--data", data.toString());
        assertEquals(0, device.code(), device.err());

        List<Map<String, Object>> all = assignmentsJson("--data", data.toString());
        assertEquals(2, all.size(), all.toString());
        assertEquals("device", all.get(0).get("kind"));
        assertEquals("gw-002", all.get(0).get("target"));
        assertEquals("special", all.get(0).get("image"));
        assertEquals(List.of("gw-002"), all.get(0).get("devices"));
        assertEquals("tag", all.get(1).get("kind"));
        assertEquals("lab", all.get(1).get("target"));
        assertEquals(List.of("gw-001"), all.get(1).get("devices"));

        try (Database db = Database.open(Database.h2Url(data))) {
            assertEquals(Optional.of("special"), db.transaction(c -> new NetbootAssignmentStore().imageFor(c, "dc:a6:32:00:00:02", null)));
            assertEquals(Optional.of("lab-image"), db.transaction(c -> new NetbootAssignmentStore().imageFor(c, "DC:A6:32:00:00:01", null)));
        }
    }

    @Test
    void unassignRemovesAndSaysWhenThereWasNothing() {
        String jdbc = "--db=" + Database.h2Url(data);
        assertEquals(0, CliRun.fleet("netboot", "assign", "--tag", "lab", "lab-image", jdbc).code());
        CliRun removed = CliRun.fleet("netboot", "unassign", "--tag", "lab", jdbc);
        assertEquals(0, removed.code(), removed.err());
        assertEquals(List.of(), assignmentsJson(jdbc));
        CliRun again = CliRun.fleet("netboot", "unassign", "--tag", "lab", jdbc);
        assertEquals(1, again.code());
        assertTrue(again.err().contains("no netboot assignment for tag lab"), again.err());
    }

    @Test
    void refusesBothOrNeitherTargetAndAMissingDataDirectory() {
        assertEquals(2, CliRun.fleet("netboot", "assign", "--tag", "lab", "--device", "gw-001", "x", "--data", data.toString()).code());
        assertEquals(2, CliRun.fleet("netboot", "assign", "x", "--data", data.toString()).code());
        CliRun missing = CliRun.fleet("netboot", "assignments", "--data", data.resolve("nowhere").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("no fleet data directory"), missing.err());
        CliRun notJdbc = CliRun.fleet("netboot", "assign", "--tag", "lab", "--db", "gateway", "--data", data.toString());
        assertEquals(2, notJdbc.code(), notJdbc.err());
    }
}
