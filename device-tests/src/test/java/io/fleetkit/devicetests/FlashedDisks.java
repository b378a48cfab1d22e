package io.fleetkit.devicetests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;

/** Disk files written by the real `fleet flash`, each with its own device identity from the test fleet's CA. */
final class FlashedDisks {

    private FlashedDisks() {
    }

    /** Flashes {@code image} to {@code disks/<deviceId>.img} with a fresh identity for {@code deviceId}. */
    static Path flash(Path image, String deviceId) throws Exception {
        Path disk = TestBuilds.ROOT.resolve("disks").resolve(deviceId + ".img");
        Files.createDirectories(disk.getParent());
        Files.deleteIfExists(disk);
        FleetRig.CliResult r = FleetRig.run("flash", image.toString(), disk.toString(), "--identity",
                DeviceIdentities.issue(deviceId).toString());
        assertEquals(0, r.exit(), "fleet flash to a disk file: " + r);
        return disk;
    }
}
