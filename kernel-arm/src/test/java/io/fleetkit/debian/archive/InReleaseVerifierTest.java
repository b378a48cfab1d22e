package io.fleetkit.debian.archive;

import io.fleetkit.events.FleetkitException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.*;

class InReleaseVerifierTest {

    static final String RELEASE = """
            Origin: Fleetkit Test
            Suite: stable
            Codename: testing-fleet
            Date: Sat, 11 Jul 2026 10:16:37 UTC
            Valid-Until: Sat, 18 Jul 2026 10:16:37 UTC
            Architectures: arm64 armhf
            Components: main
            SHA256:
             e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855        0 main/binary-arm64/Packages
            """;

    static final Clock BEFORE_EXPIRY = Clock.fixed(Instant.parse("2026-07-12T00:00:00Z"), ZoneOffset.UTC);

    @Test
    void acceptsRealDebianInReleaseWithHostKeyring() throws Exception {
        byte[] data;
        try (InputStream in = getClass().getResourceAsStream("/debian/bookworm-InRelease")) {
            data = in.readAllBytes();
        }
        assertTrue(Files.isRegularFile(OpenPgpKeyring.DEBIAN_ARCHIVE_KEYRING),
                "needs " + OpenPgpKeyring.DEBIAN_ARCHIVE_KEYRING + " (Debian package debian-archive-keyring)");
        InReleaseVerifier v = new InReleaseVerifier(OpenPgpKeyring.load(OpenPgpKeyring.DEBIAN_ARCHIVE_KEYRING), Clock.systemUTC());
        VerifiedRelease r = v.verify(data, "bookworm/InRelease");
        assertEquals("bookworm", r.release().codename());
        assertTrue(r.release().architectures().contains("arm64"));
        assertEquals(r.release().entry("main/binary-arm64/Packages.xz").orElseThrow().size(), 8689464);
        assertFalse(r.text().contains("BEGIN PGP"), "only the signed body is returned");
        assertEquals(40, r.signerFingerprint().length());
    }

    @Test
    void refusesRealInReleaseWithOneChangedDigit() throws Exception {
        byte[] data;
        try (InputStream in = getClass().getResourceAsStream("/debian/bookworm-InRelease")) {
            data = in.readAllBytes();
        }
        String s = new String(data, StandardCharsets.UTF_8).replace(" 8689464 main/binary-arm64/Packages.xz", " 8689465 main/binary-arm64/Packages.xz");
        InReleaseVerifier v = new InReleaseVerifier(OpenPgpKeyring.load(OpenPgpKeyring.DEBIAN_ARCHIVE_KEYRING), Clock.systemUTC());
        FleetkitException e = assertThrows(FleetkitException.class, () -> v.verify(s.getBytes(StandardCharsets.UTF_8), "x"));
        assertEquals("debian.bad-signature", e.code());
    }

    @Test
    void acceptsReleaseSignedByTestKey() throws Exception {
        TestKeys key = TestKeys.ed25519("Archive <a@example.org>");
        VerifiedRelease r = verifier(key, BEFORE_EXPIRY).verify(key.clearsign(RELEASE), "test/InRelease");
        assertEquals(RELEASE, r.text());
        assertEquals("testing-fleet", r.release().codename());
        assertEquals(Instant.parse("2026-07-18T10:16:37Z"), r.release().validUntil().orElseThrow());
    }

    @Test
    void acceptsRsaKeyAndCrlfLineEndsAndTrailingBlanks() throws Exception {
        TestKeys key = TestKeys.rsa("Archive <a@example.org>");
        String withBlanks = RELEASE.replace("Components: main\n", "Components: main \t\n");
        byte[] signed = key.clearsign(withBlanks);
        byte[] crlf = new String(signed, StandardCharsets.UTF_8).replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        VerifiedRelease r = verifier(key, BEFORE_EXPIRY).verify(crlf, "test/InRelease");
        assertEquals(RELEASE, r.text(), "trailing blanks are not signed, so they are not returned");
    }

    @Test
    void undoesDashEscaping() throws Exception {
        TestKeys key = TestKeys.ed25519("Archive <a@example.org>");
        String text = RELEASE + "Description: x\n -- a line with dashes\n";
        String dashed = "-leading: dash\n" + RELEASE;
        VerifiedRelease r = verifier(key, BEFORE_EXPIRY).verify(key.clearsign(dashed), "t");
        assertEquals(dashed, r.text());
        assertEquals(text, verifier(key, BEFORE_EXPIRY).verify(key.clearsign(text), "t").text());
    }

    @Test
    void refusesReleaseWithOneAlteredByte() throws Exception {
        TestKeys key = TestKeys.ed25519("Archive <a@example.org>");
        byte[] signed = key.clearsign(RELEASE);
        String s = new String(signed, StandardCharsets.UTF_8).replace("Suite: stable", "Suite: stabke");
        FleetkitException e = assertThrows(FleetkitException.class,
                () -> verifier(key, BEFORE_EXPIRY).verify(s.getBytes(StandardCharsets.UTF_8), "test/InRelease"));
        assertEquals("debian.bad-signature", e.code());
        assertTrue(e.getMessage().contains("test/InRelease"));
    }

    @Test
    void refusesReleaseSignedByKeyNotInKeyring() throws Exception {
        TestKeys trusted = TestKeys.ed25519("Trusted <t@example.org>");
        TestKeys other = TestKeys.rsa("Other <o@example.org>");
        FleetkitException e = assertThrows(FleetkitException.class,
                () -> verifier(trusted, BEFORE_EXPIRY).verify(other.clearsign(RELEASE), "test/InRelease"));
        assertEquals("debian.unknown-key", e.code());
        assertTrue(e.getMessage().contains(String.format("%016X", other.pair.getKeyID())), e.getMessage());
    }

    @Test
    void refusesReleaseAfterValidUntil() throws Exception {
        TestKeys key = TestKeys.ed25519("Archive <a@example.org>");
        Clock later = Clock.fixed(Instant.parse("2026-07-19T00:00:00Z"), ZoneOffset.UTC);
        FleetkitException e = assertThrows(FleetkitException.class,
                () -> verifier(key, later).verify(key.clearsign(RELEASE), "test/InRelease"));
        assertEquals("debian.release-expired", e.code());
        assertTrue(e.getMessage().contains("2026-07-18T10:16:37Z"), e.getMessage());
    }

    @Test
    void refusesUnsignedRelease() throws Exception {
        TestKeys key = TestKeys.ed25519("Archive <a@example.org>");
        FleetkitException e = assertThrows(FleetkitException.class,
                () -> verifier(key, BEFORE_EXPIRY).verify(RELEASE.getBytes(StandardCharsets.UTF_8), "test/InRelease"));
        assertEquals("debian.unsigned", e.code());
        String noSig = "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n" + RELEASE;
        assertEquals("debian.unsigned", assertThrows(FleetkitException.class,
                () -> verifier(key, BEFORE_EXPIRY).verify(noSig.getBytes(StandardCharsets.UTF_8), "t")).code());
    }

    @Test
    void refusesTextAppendedAfterTheSignature() throws Exception {
        TestKeys key = TestKeys.ed25519("Archive <a@example.org>");
        byte[] signed = key.clearsign(RELEASE);
        String s = new String(signed, StandardCharsets.UTF_8) + "Suite: evil\n";
        assertEquals("debian.unsigned", assertThrows(FleetkitException.class,
                () -> verifier(key, BEFORE_EXPIRY).verify(s.getBytes(StandardCharsets.UTF_8), "t")).code());
    }

    @Test
    void readsArmoredKeyring(@TempDir Path dir) throws Exception {
        TestKeys key = TestKeys.ed25519("Archive <a@example.org>");
        Path asc = dir.resolve("k.asc");
        try (var out = new org.bouncycastle.bcpg.ArmoredOutputStream(Files.newOutputStream(asc))) {
            out.write(key.publicKeyring);
        }
        InReleaseVerifier v = new InReleaseVerifier(OpenPgpKeyring.load(asc), BEFORE_EXPIRY);
        assertEquals(RELEASE, v.verify(key.clearsign(RELEASE), "t").text());
    }

    static InReleaseVerifier verifier(TestKeys key, Clock clock) throws Exception {
        return new InReleaseVerifier(OpenPgpKeyring.read(new ByteArrayInputStream(key.publicKeyring), "test keyring"), clock);
    }
}
