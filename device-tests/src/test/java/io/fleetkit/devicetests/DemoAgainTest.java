package io.fleetkit.devicetests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * `fleet demo` told twice in the same directory (as `./fleet demo` twice in one checkout): the
 * second run reuses the keys, the build time and the fleet database, builds the same bytes,
 * publishes nothing new, flashes a new device and takes it through the update. On this lane's port.
 */
@Tag("slow")
class DemoAgainTest {

    @Test
    void theDemoPassesTwiceInARowInTheSameDirectoryAndSaysWhatItReused() throws Exception {
        Path dir = TestBuilds.ROOT.resolve("demo-again-" + System.currentTimeMillis());
        Files.createDirectories(dir);
        String[] demo = {"demo", "--dir", dir.toString(), "--spec", Examples.SOURCE.resolve("qemu-arm64.yml").toString(),
                "--port", Integer.toString(Lane.BROKER_PORT)};

        FleetRig.CliResult first = FleetRig.run(demo);
        assertEquals(0, first.exit(), first.toString());
        assertTrue(first.out().contains("device gw-00001 runs 2.0.0 on slot B, committed"), first.out());

        FleetRig.CliResult second = FleetRig.run(demo);
        assertEquals(0, second.exit(), second.toString());
        String out = second.out();
        assertTrue(out.contains("(made by an earlier run, reused)"), out);
        assertTrue(out.contains("the same bytes as the last run's (build time pinned by the first run"), out);
        assertTrue(out.contains("the fleet database of earlier runs (1 devices, 1 bundles), kept"), out);
        assertTrue(out.contains("device gw-00002 runs 2.0.0 on slot B, committed (2.0.0 was published by an earlier run"), out);
    }
}
