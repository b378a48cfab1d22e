package io.fleetkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.ota.bundle.BundleRelease;
import io.fleetkit.ota.bundle.BundleWriter;
import io.fleetkit.ota.bundle.PemKeys;
import io.fleetkit.ota.bundle.SigningKey;
import io.fleetkit.ota.protocol.UpdateStatus;
import io.fleetkit.ota.server.db.DeviceRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A demo told again in the same directory reuses the build time and the fleet, and flashes a new device. */
class DemoRunsTest {

    @TempDir
    Path dir;

    @Test
    void theFirstRunPinsTheBuildTimeForEveryLaterRunUnlessSourceDateEpochIsSet() throws Exception {
        assertFalse(DemoRuns.buildTimePinnedEarlier(dir, Map.of()));
        Instant first = DemoRuns.buildTime(dir, Map.of());
        assertEquals(Instant.now().truncatedTo(ChronoUnit.DAYS), first);
        assertTrue(DemoRuns.buildTimePinnedEarlier(dir, Map.of()));
        long weekAgo = Instant.now().minus(java.time.Duration.ofDays(7)).getEpochSecond();
        Files.writeString(dir.resolve(DemoRuns.EPOCH_FILE), weekAgo + "\n");
        assertEquals(Instant.ofEpochSecond(weekAgo), DemoRuns.buildTime(dir, Map.of()), "what the first run wrote");
        Files.writeString(dir.resolve(DemoRuns.EPOCH_FILE), "1700000000\n");
        assertEquals(first, DemoRuns.buildTime(dir, Map.of()), "renewed: bundles from then would be near their expiry");
        assertEquals(Instant.ofEpochSecond(1800000000), DemoRuns.buildTime(dir, Map.of("SOURCE_DATE_EPOCH", "1800000000")));
        assertEquals("1700000000", DemoRuns.buildEnvironment(Instant.ofEpochSecond(1700000000)).get("SOURCE_DATE_EPOCH"));
    }

    @Test
    void eachRunFlashesTheNextFreeDevice() {
        assertEquals("gw-00001", DemoRuns.nextDeviceId(List.of()));
        assertEquals("gw-00004", DemoRuns.nextDeviceId(List.of(device("gw-00001"), device("gw-00003"), device("lab-7"))));
    }

    @Test
    void keepsTheFleetOfEarlierRunsUnlessItHoldsAnother2_0_0WithOtherBytes() throws Exception {
        Path keys = dir.resolve("keys");
        Path server = dir.resolve("server");
        assertEquals(0, CliRun.fleet("keys", "init", keys.toString()).code());
        Path ours = bundle(keys, "ours", Instant.now());
        assertEquals("a new fleet database", DemoRuns.database(server, keys, ours, "2.0.0"));

        Files.createDirectories(server);   // as the demo's fleet server makes it
        CliRun published = CliRun.fleet("publish", ours.toString(), "--data", server.toString(), "--keys", keys.toString());
        assertEquals(0, published.code(), published.toString());
        assertEquals("the fleet database of earlier runs (0 devices, 1 bundles), kept", DemoRuns.database(server, keys, ours, "2.0.0"));
        assertTrue(Files.isDirectory(server));

        Path theirs = bundle(keys, "theirs", Instant.now().minusSeconds(86400));
        String note = DemoRuns.database(server, keys, theirs, "2.0.0");
        assertTrue(note.startsWith("a new fleet database: the old one held another 2.0.0"), note);
        assertFalse(Files.exists(server), "moved aside");
        try (var aside = Files.list(dir)) {
            assertTrue(aside.anyMatch(p -> p.getFileName().toString().startsWith("server.replaced-")));
        }
    }

    private Path bundle(Path keys, String name, Instant created) throws Exception {
        SigningKey key = new SigningKey(PemKeys.readPrivateKey(keys.resolve("signing.key")), PemKeys.readPublicKey(keys.resolve("signing.pub")));
        Path slot = Files.write(dir.resolve("slot-" + name), new byte[64 * 1024]);
        return BundleWriter.writeFile(BundleRelease.of("gateway", "2.0.0", "qemu-arm64", 2_000_000, created), slot, key,
                Files.createDirectories(dir.resolve(name)));
    }

    private static DeviceRecord device(String id) {
        return new DeviceRecord(id, "qemu-arm64", "1.0.0", 1, "A", Map.of(), UpdateStatus.IDLE.state(), null, 0, null, 0, 0, null,
                List.of(), false, null, null, List.of(), null, null, Map.of(), null, null);
    }
}
