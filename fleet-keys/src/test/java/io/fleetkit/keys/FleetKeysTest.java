package io.fleetkit.keys;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.ota.bundle.BundleReader;
import io.fleetkit.ota.bundle.BundleRelease;
import io.fleetkit.ota.bundle.BundleWriter;
import io.fleetkit.ota.bundle.PemKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FleetKeysTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path tmp;

    @Test
    void initWritesKeysWithPrivateModes() throws Exception {
        Path dir = tmp.resolve("keys");
        FleetKeys.init(dir, CLOCK);
        assertEquals("rwx------", mode(dir));
        assertEquals("rw-------", mode(dir.resolve("signing.key")));
        assertEquals("rw-------", mode(dir.resolve("ca.key")));
        assertEquals("rw-r--r--", mode(dir.resolve("signing.pub")));
        assertEquals("rw-r--r--", mode(dir.resolve("ca.crt")));
        try (var files = Files.list(dir)) {
            assertEquals(List.of("ca.crt", "ca.key", "signing.key", "signing.pub"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertTrue(Files.readString(dir.resolve("signing.pub")).startsWith("-----BEGIN PUBLIC KEY-----\n"));
        assertTrue(Files.readString(dir.resolve("signing.key")).startsWith("-----BEGIN PRIVATE KEY-----\n"));
    }

    @Test
    void refusesToOverwriteAnyExistingKeyFile() throws Exception {
        Path dir = tmp.resolve("keys");
        FleetKeys.init(dir, CLOCK);
        byte[] before = Files.readAllBytes(dir.resolve("signing.key"));
        FleetkitException e = assertThrows(FleetkitException.class, () -> FleetKeys.init(dir, CLOCK));
        assertEquals("keys.exist", e.code());
        assertTrue(e.fix() != null && e.fix().contains("move"), e.fix());
        assertArrayEquals(before, Files.readAllBytes(dir.resolve("signing.key")));

        Path other = tmp.resolve("other");
        Files.createDirectories(other);
        Files.writeString(other.resolve("ca.crt"), "mine");
        assertEquals("keys.exist", assertThrows(FleetkitException.class, () -> FleetKeys.init(other, CLOCK)).code());
        try (var files = Files.list(other)) {
            assertEquals(1, files.count(), "nothing written next to the existing file");
        }
    }

    @Test
    void loadReadsBackWhatInitWrote() throws Exception {
        Path dir = tmp.resolve("keys");
        FleetKeys made = FleetKeys.init(dir, CLOCK);
        FleetKeys loaded = FleetKeys.load(dir);
        assertArrayEquals(made.signingKey().publicKey().getEncoded(), loaded.signingKey().publicKey().getEncoded());
        assertArrayEquals(made.signingKey().privateKey().getEncoded(), loaded.signingKey().privateKey().getEncoded());
        assertArrayEquals(made.caKey().getEncoded(), loaded.caKey().getEncoded());
        assertEquals(made.caCertificate(), loaded.caCertificate());
        assertEquals(made.signingKey().keyId(), loaded.signingKey().keyId());
    }

    @Test
    void loadRefusesPrivateKeyReadableByOthersAndMissingFiles() throws Exception {
        Path dir = tmp.resolve("keys");
        FleetKeys.init(dir, CLOCK);
        Files.setPosixFilePermissions(dir.resolve("ca.key"), PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals("keys.unsafe-mode", assertThrows(FleetkitException.class, () -> FleetKeys.load(dir)).code());
        assertEquals("keys.missing", assertThrows(FleetkitException.class, () -> FleetKeys.load(tmp.resolve("none"))).code());
    }

    @Test
    void loadRefusesSigningKeysThatAreNotAPair() throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        FleetKeys.init(a, CLOCK);
        FleetKeys.init(b, CLOCK);
        Files.delete(a.resolve("signing.pub"));
        Files.copy(b.resolve("signing.pub"), a.resolve("signing.pub"));
        assertEquals("keys.mismatch", assertThrows(FleetkitException.class, () -> FleetKeys.load(a)).code());
    }

    @Test
    void bundlesSignedWithLoadedKeyVerifyAgainstSigningPub() throws Exception {
        Path dir = tmp.resolve("keys");
        FleetKeys.init(dir, CLOCK);
        FleetKeys keys = FleetKeys.load(dir);
        Path slot = Files.write(tmp.resolve("slot.img"), new byte[10000]);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BundleWriter.write(BundleRelease.of("edge", "1.0", "rpi4", 1, CLOCK.instant()).withChunkSize(4096), slot, keys.signingKey(), out);
        var manifest = BundleReader.verifyAll(new ByteArrayInputStream(out.toByteArray()),
                List.of(PemKeys.readPublicKey(dir.resolve("signing.pub"))));
        assertEquals(3, manifest.chunkCount());
    }

    @Test
    void opensslReadsTheKeyFiles() throws Exception {
        Path dir = tmp.resolve("keys");
        FleetKeys.init(dir, CLOCK);
        String ed = Openssl.ok("pkey", "-in", dir.resolve("signing.key").toString(), "-noout", "-text");
        assertTrue(ed.contains("ED25519 Private-Key"), ed);
        String ec = Openssl.ok("pkey", "-in", dir.resolve("ca.key").toString(), "-noout", "-text");
        assertTrue(ec.contains("prime256v1"), ec);
        String derived = Openssl.ok("pkey", "-in", dir.resolve("signing.key").toString(), "-pubout");
        assertEquals(Files.readString(dir.resolve("signing.pub"), StandardCharsets.US_ASCII), derived);
        String ca = Openssl.ok("x509", "-in", dir.resolve("ca.crt").toString(), "-noout", "-subject", "-ext", "basicConstraints,keyUsage");
        assertTrue(ca.contains("CN = Fleetkit fleet CA"), ca);
        assertTrue(ca.contains("CA:TRUE, pathlen:0"), ca);
        assertTrue(ca.contains("Certificate Sign, CRL Sign"), ca);
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
