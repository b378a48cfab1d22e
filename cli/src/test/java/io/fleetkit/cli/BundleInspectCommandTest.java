package io.fleetkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.ota.bundle.BundleRelease;
import io.fleetkit.ota.bundle.BundleWriter;
import io.fleetkit.ota.bundle.PemKeys;
import io.fleetkit.ota.bundle.SigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fleet bundle inspect --from counts what a device running the older version downloads, as the agent decides it. */
class BundleInspectCommandTest {

    private static final int CHUNK = 64 * 1024;

    @TempDir
    Path dir;

    @Test
    void countsOnlyTheChunksTheOlderSlotLacksWhetherGivenAsBundleOrSlotImage() throws Exception {
        Path keys = dir.resolve("keys");
        assertEquals(0, CliRun.fleet("keys", "init", keys.toString()).code());
        SigningKey key = new SigningKey(PemKeys.readPrivateKey(keys.resolve("signing.key")), PemKeys.readPublicKey(keys.resolve("signing.pub")));
        // 8 chunks; the new version changes chunk 3 only
        byte[] old = new byte[8 * CHUNK];
        new Random(7).nextBytes(old);
        byte[] changed = old.clone();
        changed[3 * CHUNK + 10] ^= 1;
        Path oldSlot = Files.write(dir.resolve("1.0.0.slot"), old);
        Path newSlot = Files.write(dir.resolve("2.0.0.slot"), changed);
        Path oldBundle = BundleWriter.writeFile(BundleRelease.of("gateway", "1.0.0", "rpi4", 1_000_000, Instant.now()).withChunkSize(CHUNK),
                oldSlot, key, Files.createDirectories(dir.resolve("v1")));
        Path newBundle = BundleWriter.writeFile(BundleRelease.of("gateway", "2.0.0", "rpi4", 2_000_000, Instant.now()).withChunkSize(CHUNK),
                newSlot, key, Files.createDirectories(dir.resolve("v2")));

        for (Path from : new Path[] {oldBundle, oldSlot}) {
            CliRun r = CliRun.fleet("bundle", "inspect", newBundle.toString(), "--from", from.toString());
            assertEquals(0, r.code(), r.toString());
            assertTrue(r.out().contains("7 of 8 chunks held (448 KiB)"), r.out());
            long header = Files.size(newBundle) - changed.length;
            assertTrue(r.out().contains("download     " + ByteSize.format(header + CHUNK) + " of " + ByteSize.format(Files.size(newBundle))),
                    r.out());
        }
        CliRun json = CliRun.fleet("bundle", "inspect", newBundle.toString(), "--from", oldBundle.toString(), "--json");
        assertEquals(0, json.code(), json.toString());
        assertTrue(json.out().contains("\"chunksHeld\": 7") || json.out().contains("\"chunksHeld\":7"), json.out());

        CliRun missing = CliRun.fleet("bundle", "inspect", newBundle.toString(), "--from", dir.resolve("nope.bundle").toString());
        assertEquals(2, missing.code(), missing.toString());
        assertTrue(missing.err().contains("is not a file"), missing.err());
    }
}
