package io.fleetkit.ota.bundle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Random;

/** Keys, slot images and bundles for the tests. */
final class TestBundles {

    static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");
    static final int CHUNK = 4096;

    private TestBundles() {
    }

    static SigningKey newKey() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            return new SigningKey(pair.getPrivate(), pair.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A slot image of three and a half chunks of seeded random bytes. */
    static Path slotImage(Path dir) throws IOException {
        byte[] data = new byte[CHUNK * 3 + CHUNK / 2];
        new Random(42).nextBytes(data);
        return Files.write(dir.resolve("slot.img"), data);
    }

    static BundleRelease release(long versionNumber) {
        return BundleRelease.of("edge", "1.2." + versionNumber, "rpi4", versionNumber, CREATED).withChunkSize(CHUNK);
    }

    static byte[] bundle(BundleRelease release, Path slot, SigningKey key) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BundleWriter.write(release, slot, key, out);
        return out.toByteArray();
    }
}
