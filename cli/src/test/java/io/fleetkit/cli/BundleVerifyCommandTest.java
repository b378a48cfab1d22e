package io.fleetkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.ota.bundle.BundleRelease;
import io.fleetkit.ota.bundle.BundleWriter;
import io.fleetkit.ota.bundle.PemKeys;
import io.fleetkit.ota.bundle.SigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fleet bundle verify says what a device would: a bundle past its expiry is refused, however good its signature. */
class BundleVerifyCommandTest {

    @TempDir
    Path dir;

    @Test
    void refusesAnExpiredBundleAndPassesAValidOne() throws Exception {
        Path keys = dir.resolve("keys");
        assertEquals(0, CliRun.fleet("keys", "init", keys.toString()).code());
        SigningKey key = new SigningKey(PemKeys.readPrivateKey(keys.resolve("signing.key")), PemKeys.readPublicKey(keys.resolve("signing.pub")));
        Path slot = Files.write(dir.resolve("slot.img"), new byte[64 * 1024]);
        Instant created = Instant.now().minus(Duration.ofDays(400));
        Path expired = BundleWriter.writeFile(BundleRelease.of("gateway", "1.0.0", "rpi4", 1_000_000, created), slot, key,
                Files.createDirectories(dir.resolve("old")));
        Path valid = BundleWriter.writeFile(BundleRelease.of("gateway", "2.0.0", "rpi4", 2_000_000, Instant.now()), slot, key,
                Files.createDirectories(dir.resolve("new")));

        CliRun refused = CliRun.fleet("bundle", "verify", "--key", keys.resolve("signing.pub").toString(), expired.toString());
        assertEquals(1, refused.code(), refused.toString());
        assertTrue(refused.err().contains("the bundle expired at " + created.plus(BundleRelease.DEFAULT_LIFETIME)
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)), refused.err());
        assertTrue(refused.err().contains("fix: Build a new bundle"), refused.err());

        CliRun ok = CliRun.fleet("bundle", "verify", "--key", keys.resolve("signing.pub").toString(), valid.toString());
        assertEquals(0, ok.code(), ok.toString());
    }
}
