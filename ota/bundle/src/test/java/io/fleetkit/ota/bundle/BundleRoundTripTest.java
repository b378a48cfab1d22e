package io.fleetkit.ota.bundle;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BundleRoundTripTest {

    @TempDir
    Path dir;

    @Test
    void signedBundleVerifiesAndYieldsTheSlotImage() throws Exception {
        SigningKey key = TestBundles.newKey();
        Path slot = TestBundles.slotImage(dir);
        byte[] bundle = TestBundles.bundle(TestBundles.release(7), slot, key);

        InputStream in = new ByteArrayInputStream(bundle);
        VerifiedManifest verified = BundleReader.open(in, key.publicKey());
        BundleManifest m = verified.manifest();
        assertEquals("edge", m.name());
        assertEquals("rpi4", m.board());
        assertEquals(7, m.versionNumber());
        assertEquals(Files.size(slot), m.slotSize());
        assertEquals(4, m.chunkCount());
        assertEquals(TestBundles.CHUNK / 2, m.chunkLength(3));
        assertEquals(key.keyId(), m.signer());
        assertEquals(bundle.length - Files.size(slot), verified.payloadOffset());

        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        assertEquals(Files.size(slot), BundleReader.copyVerified(verified, in, sink));
        assertArrayEquals(Files.readAllBytes(slot), sink.toByteArray());
    }

    @Test
    void layoutIsMagicThenLengthPrefixedManifestThenSignatureThenSlot() throws Exception {
        SigningKey key = TestBundles.newKey();
        Path slot = TestBundles.slotImage(dir);
        byte[] bundle = TestBundles.bundle(TestBundles.release(1), slot, key);

        assertEquals("FLEETBUNDLE1\n", new String(bundle, 0, 13, StandardCharsets.US_ASCII));
        int m = ((bundle[13] & 0xff) << 24) | ((bundle[14] & 0xff) << 16) | ((bundle[15] & 0xff) << 8) | (bundle[16] & 0xff);
        String json = new String(bundle, 17, m, StandardCharsets.UTF_8);
        assertTrue(json.startsWith("{\"allowDowngrade\":false,\"board\":\"rpi4\",\"chunkSha256\":["), json);
        assertFalse(json.contains(" "), json);
        int s = ((bundle[17 + m] & 0xff) << 24) | ((bundle[18 + m] & 0xff) << 16) | ((bundle[19 + m] & 0xff) << 8) | (bundle[20 + m] & 0xff);
        assertEquals(64, s);
        assertEquals(21 + m + 64 + Files.size(slot), bundle.length);
    }

    @Test
    void sameInputsAndCreationTimeGiveTheSameBytes() throws Exception {
        SigningKey key = TestBundles.newKey();
        Path slot = TestBundles.slotImage(dir);
        assertArrayEquals(TestBundles.bundle(TestBundles.release(3), slot, key), TestBundles.bundle(TestBundles.release(3), slot, key));
    }

    @Test
    void writeFileNamesTheBundleAndVerifyAllAcceptsIt() throws Exception {
        SigningKey key = TestBundles.newKey();
        Path out = BundleWriter.writeFile(TestBundles.release(5), TestBundles.slotImage(dir), key, dir.resolve("out"));
        assertEquals("edge-1.2.5.bundle", out.getFileName().toString());
        try (InputStream in = Files.newInputStream(out)) {
            assertEquals(5, BundleReader.verifyAll(in, List.of(key.publicKey())).versionNumber());
        }
        try (var files = Files.list(dir.resolve("out"))) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void opensslAcceptsTheSignatureWithThePemPublicKey() throws Exception {
        SigningKey key = TestBundles.newKey();
        byte[] bundle = TestBundles.bundle(TestBundles.release(2), TestBundles.slotImage(dir), key);
        BundleHeader header = BundleReader.readHeader(new ByteArrayInputStream(bundle));
        Path manifest = Files.write(dir.resolve("manifest.json"), header.manifestBytes());
        Path sig = Files.write(dir.resolve("manifest.sig"), header.signature());
        Path pub = Files.writeString(dir.resolve("signing.pub"), PemKeys.publicKeyPem(key.publicKey()));

        Process p = run("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", pub.toString(), "-rawin",
                "-in", manifest.toString(), "-sigfile", sig.toString());
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("Signature Verified Successfully"), out);
    }

    @Test
    void pemKeysReadBackAndOpensslReadsThePrivateKey() throws Exception {
        SigningKey key = TestBundles.newKey();
        Path priv = Files.writeString(dir.resolve("signing.key"), PemKeys.privateKeyPem(key.privateKey()));
        Path pub = Files.writeString(dir.resolve("signing.pub"), PemKeys.publicKeyPem(key.publicKey()));
        assertArrayEquals(key.privateKey().getEncoded(), PemKeys.readPrivateKey(priv).getEncoded());
        assertArrayEquals(key.publicKey().getEncoded(), PemKeys.readPublicKey(pub).getEncoded());

        Process p = run("openssl", "pkey", "-in", priv.toString(), "-pubout");
        String derived = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertEquals(0, p.waitFor(), derived);
        assertEquals(Files.readString(pub), derived);
    }

    static Process run(String... command) {
        try {
            return new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            throw new AssertionError(command[0] + " is missing: install the Debian package 'openssl'", e);
        }
    }
}
