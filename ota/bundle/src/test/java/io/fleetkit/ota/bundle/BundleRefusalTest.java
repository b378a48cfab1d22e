package io.fleetkit.ota.bundle;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BundleRefusalTest {

    @TempDir
    Path dir;

    private final SigningKey key = TestBundles.newKey();

    private byte[] bundle(BundleRelease release) throws Exception {
        return TestBundles.bundle(release, TestBundles.slotImage(dir), key);
    }

    private static BundleRefusedException refused(BundleRefusal reason, Executable action) {
        BundleRefusedException e = assertThrows(BundleRefusedException.class, action);
        assertEquals(reason, e.reason(), e.getMessage());
        assertEquals(reason.code(), e.code());
        return e;
    }

    private static int manifestLength(byte[] bundle) {
        return ((bundle[13] & 0xff) << 24) | ((bundle[14] & 0xff) << 16) | ((bundle[15] & 0xff) << 8) | (bundle[16] & 0xff);
    }

    @Test
    void rejectsEveryTamperedManifestByte() throws Exception {
        byte[] good = bundle(TestBundles.release(1));
        int m = manifestLength(good);
        String json = new String(good, 17, m, StandardCharsets.UTF_8);
        int signerAt = json.indexOf("\"signer\":\"") + 10;
        for (int i = 0; i < m; i++) {
            byte[] bad = good.clone();
            bad[17 + i] ^= 0x01;
            BundleRefusedException e = assertThrows(BundleRefusedException.class,
                    () -> BundleReader.open(new ByteArrayInputStream(bad), key.publicKey()));
            // a changed signer id that still parses names a key we do not trust; anything else is a broken signature
            boolean inSigner = i >= signerAt && i < signerAt + 16;
            assertTrue(e.reason() == BundleRefusal.BAD_SIGNATURE || inSigner && e.reason() == BundleRefusal.UNKNOWN_SIGNER,
                    "byte " + i + ": " + e.getMessage());
        }
    }

    @Test
    void rejectsTamperedSignature() throws Exception {
        byte[] bad = bundle(TestBundles.release(1));
        bad[21 + manifestLength(bad) + 10] ^= 0x40;
        refused(BundleRefusal.BAD_SIGNATURE, () -> BundleReader.open(new ByteArrayInputStream(bad), key.publicKey()));
    }

    @Test
    void tamperedPayloadByteIsCaughtAtItsChunkBeforeThatChunkIsPassedOn() throws Exception {
        byte[] bad = bundle(TestBundles.release(1));
        ByteArrayInputStream in = new ByteArrayInputStream(bad);
        VerifiedManifest verified = BundleReader.open(in, key.publicKey());
        bad[(int) verified.payloadOffset() + 2 * TestBundles.CHUNK + 100] ^= 0x01;
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        BundleRefusedException e = refused(BundleRefusal.CHUNK_MISMATCH, () -> BundleReader.copyVerified(verified,
                new ByteArrayInputStream(bad, (int) verified.payloadOffset(), bad.length), sink));
        assertTrue(e.getMessage().startsWith("chunk 2 "), e.getMessage());
        assertEquals(2 * TestBundles.CHUNK, sink.size());
    }

    @Test
    void chunkVerifierChecksEachChunkByIndex() throws Exception {
        byte[] b = bundle(TestBundles.release(1));
        ByteArrayInputStream in = new ByteArrayInputStream(b);
        VerifiedManifest verified = BundleReader.open(in, key.publicKey());
        int off = (int) verified.payloadOffset();
        ChunkVerifier chunks = verified.chunkVerifier();
        byte[] chunk1 = Arrays.copyOfRange(b, off + TestBundles.CHUNK, off + 2 * TestBundles.CHUNK);
        chunks.verify(1, chunk1);
        refused(BundleRefusal.CHUNK_MISMATCH, () -> chunks.verify(0, chunk1));
        refused(BundleRefusal.CHUNK_MISMATCH, () -> chunks.verify(3, chunk1));
        refused(BundleRefusal.CHUNK_MISMATCH, () -> chunks.verify(4, chunk1));
        refused(BundleRefusal.CHUNK_MISMATCH, () -> chunks.verify(-1, chunk1));
    }

    @Test
    void rejectsBundleSignedByAnotherKey() throws Exception {
        byte[] b = bundle(TestBundles.release(1));
        BundleRefusedException e = refused(BundleRefusal.UNKNOWN_SIGNER,
                () -> BundleReader.open(new ByteArrayInputStream(b), TestBundles.newKey().publicKey()));
        assertTrue(e.getMessage().contains(key.keyId()), e.getMessage());
    }

    @Test
    void acceptsAnyOfSeveralTrustedKeys() throws Exception {
        byte[] b = bundle(TestBundles.release(1));
        BundleReader.open(new ByteArrayInputStream(b), List.of(TestBundles.newKey().publicKey(), key.publicKey()));
    }

    @Test
    void rejectsAnotherKeysSignatureOnAManifestNamingTheTrustedSigner() throws Exception {
        SigningKey attacker = TestBundles.newKey();
        BundleManifest honest = BundleWriter.manifestFor(TestBundles.release(9), TestBundles.slotImage(dir), key);
        byte[] manifest = honest.canonicalBytes();
        byte[] forged = header(manifest, BundleSigner.sign(manifest, attacker.privateKey()));
        refused(BundleRefusal.BAD_SIGNATURE, () -> BundleReader.open(new ByteArrayInputStream(forged), key.publicKey()));
    }

    @Test
    void rejectsSignedButNonCanonicalManifest() throws Exception {
        BundleManifest m = BundleWriter.manifestFor(TestBundles.release(1), TestBundles.slotImage(dir), key);
        byte[] spaced = new String(m.canonicalBytes(), StandardCharsets.UTF_8).replace(",", ", ").getBytes(StandardCharsets.UTF_8);
        byte[] b = header(spaced, BundleSigner.sign(spaced, key.privateKey()));
        refused(BundleRefusal.MALFORMED, () -> BundleReader.open(new ByteArrayInputStream(b), key.publicKey()));
    }

    @Test
    void rejectsTruncatedBundleInHeaderAndInPayload() throws Exception {
        byte[] b = bundle(TestBundles.release(1));
        refused(BundleRefusal.TRUNCATED, () -> BundleReader.open(new ByteArrayInputStream(Arrays.copyOf(b, 100)), key.publicKey()));
        byte[] cut = Arrays.copyOf(b, b.length - 1);
        refused(BundleRefusal.TRUNCATED, () -> BundleReader.verifyAll(new ByteArrayInputStream(cut), List.of(key.publicKey())));
    }

    @Test
    void rejectsTrailingBytesAfterTheSlotImage() throws Exception {
        byte[] b = Arrays.copyOf(bundle(TestBundles.release(1)), 1);
        byte[] longer = Arrays.copyOf(bundle(TestBundles.release(1)), bundle(TestBundles.release(1)).length + 1);
        refused(BundleRefusal.MALFORMED, () -> BundleReader.verifyAll(new ByteArrayInputStream(longer), List.of(key.publicKey())));
        refused(BundleRefusal.TRUNCATED, () -> BundleReader.readHeader(new ByteArrayInputStream(b)));
    }

    @Test
    void rejectsOversizedManifestLengthWithoutReadingIt() {
        byte[] b = Arrays.copyOf(BundleFormat.MAGIC, BundleFormat.MAGIC.length + 4);
        Arrays.fill(b, BundleFormat.MAGIC.length, b.length, (byte) 0xff);
        BundleRefusedException e = refused(BundleRefusal.MALFORMED, () -> BundleReader.readHeader(new ByteArrayInputStream(b)));
        assertTrue(e.getMessage().contains("4294967295"), e.getMessage());
        byte[] justOver = Arrays.copyOf(BundleFormat.MAGIC, BundleFormat.MAGIC.length + 4);
        justOver[BundleFormat.MAGIC.length + 1] = 0x10;
        justOver[BundleFormat.MAGIC.length + 3] = 0x01;
        refused(BundleRefusal.MALFORMED, () -> BundleReader.readHeader(new ByteArrayInputStream(justOver)));
    }

    @Test
    void rejectsGarbageThatIsNotABundle() {
        byte[] garbage = "PK\u0003\u0004 this is a zip file, not a bundle".getBytes(StandardCharsets.ISO_8859_1);
        refused(BundleRefusal.MALFORMED, () -> BundleReader.readHeader(new ByteArrayInputStream(garbage)));
    }

    private static byte[] header(byte[] manifest, byte[] signature) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataOutputStream data = new DataOutputStream(out);
        data.write(BundleFormat.MAGIC);
        data.writeInt(manifest.length);
        data.write(manifest);
        data.writeInt(signature.length);
        data.write(signature);
        return out.toByteArray();
    }
}
