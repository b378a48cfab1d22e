package io.fleetkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.ota.protocol.DeviceReport;
import io.fleetkit.ota.protocol.UpdateStatus;
import io.fleetkit.ota.server.db.Database;
import io.fleetkit.ota.server.db.DeviceStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `fleet device tag` on a real fleet data directory (H2): the tags land where rollouts and netboot look. */
class DeviceTagCommandTest {

    @TempDir
    Path data;

    @BeforeEach
    void oneDeviceWithoutTags() throws Exception {
        try (Database db = Database.open(Database.h2Url(data))) {
            db.transaction(c -> {
                new DeviceStore().applyReport(c, new DeviceReport("gw-001", "rpi4", "1.0.0", 1_000_000, "A", Map.of("A", "1.0.0"),
                        UpdateStatus.IDLE, 1, 1, "0.1.0", null), Instant.now());
                return null;
            });
        }
    }

    private List<String> storedTags() throws Exception {
        try (Database db = Database.open(Database.h2Url(data))) {
            return db.transaction(c -> new DeviceStore().find(c, "gw-001")).orElseThrow().tags();
        }
    }

    @Test
    void setsReplacesAndClearsTags() throws Exception {
        CliRun r = CliRun.fleet("device", "tag", "gw-001", "lab", "eu", "lab", "--data", data.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("gw-001 tags: lab, eu"), r.out());
        assertEquals(List.of("lab", "eu"), storedTags());

        assertEquals(0, CliRun.fleet("device", "tag", "gw-001", "field", "--data", data.toString()).code());
        assertEquals(List.of("field"), storedTags());

        assertEquals(0, CliRun.fleet("device", "tag", "gw-001", "--data", data.toString()).code());
        assertEquals(List.of(), storedTags());
    }

    @Test
    void refusesABadTagWithoutTouchingTheDeviceAndNamesAnUnknownDevice() throws Exception {
        assertEquals(0, CliRun.fleet("device", "tag", "gw-001", "lab", "--data", data.toString()).code());
        CliRun bad = CliRun.fleet("device", "tag", "gw-001", "no spaces", "--data", data.toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("tag 'no spaces' is not a name"), bad.err());
        assertEquals(List.of("lab"), storedTags());

        CliRun unknown = CliRun.fleet("device", "tag", "gw-999", "lab", "--data", data.toString());
        assertEquals(1, unknown.code());
        assertTrue(unknown.err().contains("no device gw-999"), unknown.err());
    }
}
