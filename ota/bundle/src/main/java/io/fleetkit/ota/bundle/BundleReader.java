package io.fleetkit.ota.bundle;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Reads bundles (layout in {@link BundleFormat}) as untrusted input: lengths are bounded before
 * anything is allocated, the signature is checked against trusted keys before any manifest is
 * returned, and the payload is checked chunk by chunk before a byte of it is passed on.
 */
public final class BundleReader {

    private BundleReader() {
    }

    /** Reads magic, manifest and signature, leaving {@code in} at the first slot-image byte. Verifies nothing. */
    public static BundleHeader readHeader(InputStream in) throws IOException {
        byte[] magic = readFully(in, BundleFormat.MAGIC.length, "magic");
        if (!Arrays.equals(magic, BundleFormat.MAGIC)) {
            throw new BundleRefusedException(BundleRefusal.MALFORMED, "not a Fleetkit bundle: it does not start with FLEETBUNDLE1");
        }
        long manifestLength = readUint32(in, "manifest length");
        if (manifestLength < 1 || manifestLength > BundleFormat.MAX_MANIFEST_LENGTH) {
            throw new BundleRefusedException(BundleRefusal.MALFORMED,
                    "bundle manifest length " + manifestLength + " is outside 1.." + BundleFormat.MAX_MANIFEST_LENGTH);
        }
        byte[] manifest = readFully(in, (int) manifestLength, "manifest");
        long signatureLength = readUint32(in, "signature length");
        if (signatureLength < 1 || signatureLength > BundleFormat.MAX_SIGNATURE_LENGTH) {
            throw new BundleRefusedException(BundleRefusal.MALFORMED,
                    "bundle signature length " + signatureLength + " is outside 1.." + BundleFormat.MAX_SIGNATURE_LENGTH);
        }
        byte[] signature = readFully(in, (int) signatureLength, "signature");
        return new BundleHeader(manifest, signature);
    }

    /** Reads the header and verifies it against {@code trusted}; {@code in} is left at the slot image. */
    public static VerifiedManifest open(InputStream in, PublicKey trusted) throws IOException {
        return verify(readHeader(in), List.of(trusted));
    }

    public static VerifiedManifest open(InputStream in, Collection<PublicKey> trusted) throws IOException {
        return verify(readHeader(in), trusted);
    }

    /**
     * Checks the signature over the raw manifest bytes with each trusted Ed25519 key, and only then
     * decodes the manifest. A broken signature whose manifest names a key we do not trust is
     * reported as {@link BundleRefusal#UNKNOWN_SIGNER}, otherwise as {@link BundleRefusal#BAD_SIGNATURE}.
     */
    public static VerifiedManifest verify(BundleHeader header, Collection<PublicKey> trusted) {
        byte[] bytes = header.manifestBytes();
        for (PublicKey key : trusted) {
            if (BundleSigner.verify(bytes, header.signature(), key)) {
                BundleManifest manifest = ManifestJson.decode(bytes);
                if (!manifest.signer().equals(SigningKeyId.of(key))) {
                    throw new BundleRefusedException(BundleRefusal.UNKNOWN_SIGNER, "bundle manifest names signer "
                            + manifest.signer() + " but was signed by key " + SigningKeyId.of(key));
                }
                return new VerifiedManifest(manifest, header);
            }
        }
        String claimed = claimedSigner(bytes);
        List<String> ids = trusted.stream().map(SigningKeyId::of).toList();
        if (claimed != null && !ids.contains(claimed)) {
            throw new BundleRefusedException(BundleRefusal.UNKNOWN_SIGNER,
                    "bundle is signed by key " + claimed + ", which is not trusted here (trusted: " + String.join(", ", ids) + ")");
        }
        throw new BundleRefusedException(BundleRefusal.BAD_SIGNATURE,
                "bundle signature does not match its manifest for trusted key " + String.join(", ", ids));
    }

    /**
     * Copies the slot image from {@code payload} to {@code sink}, one verified chunk at a time:
     * a chunk reaches {@code sink} only after its digest matched. Refuses a short payload, trailing
     * bytes, or a whole-image digest mismatch. Returns the number of bytes copied.
     */
    public static long copyVerified(VerifiedManifest verified, InputStream payload, OutputStream sink) throws IOException {
        BundleManifest m = verified.manifest();
        ChunkVerifier chunks = verified.chunkVerifier();
        java.security.MessageDigest whole = SlotDigests.newSha256();
        byte[] buf = new byte[m.chunkSize()];
        long copied = 0;
        for (int i = 0; i < m.chunkCount(); i++) {
            int len = m.chunkLength(i);
            int got = payload.readNBytes(buf, 0, len);
            if (got < len) {
                throw new BundleRefusedException(BundleRefusal.TRUNCATED, "bundle payload ends in chunk " + i + " after "
                        + (copied + got) + " of " + m.slotSize() + " bytes");
            }
            chunks.verify(i, buf, 0, len);
            whole.update(buf, 0, len);
            sink.write(buf, 0, len);
            copied += len;
        }
        if (payload.read() != -1) {
            throw new BundleRefusedException(BundleRefusal.MALFORMED, "bundle has bytes after its " + m.slotSize() + "-byte slot image");
        }
        String digest = java.util.HexFormat.of().formatHex(whole.digest());
        if (!digest.equals(m.slotSha256())) {
            // cannot happen when every chunk matched, unless the manifest itself lists wrong chunk digests
            throw new BundleRefusedException(BundleRefusal.CHUNK_MISMATCH,
                    "slot image has SHA-256 " + digest + ", the manifest says " + m.slotSha256());
        }
        return copied;
    }

    /** Verifies a whole bundle stream: header, signature and every chunk. Returns the manifest. */
    public static BundleManifest verifyAll(InputStream in, Collection<PublicKey> trusted) throws IOException {
        VerifiedManifest verified = open(in, trusted);
        copyVerified(verified, in, OutputStream.nullOutputStream());
        return verified.manifest();
    }

    private static String claimedSigner(byte[] manifest) {
        try {
            return ManifestJson.decode(manifest).signer();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static long readUint32(InputStream in, String what) throws IOException {
        byte[] b = readFully(in, 4, what);
        return ((b[0] & 0xffL) << 24) | ((b[1] & 0xffL) << 16) | ((b[2] & 0xffL) << 8) | (b[3] & 0xffL);
    }

    private static byte[] readFully(InputStream in, int n, String what) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new BundleRefusedException(BundleRefusal.TRUNCATED,
                    "bundle ends in its " + what + " (" + b.length + " of " + n + " bytes)", new EOFException());
        }
        return b;
    }
}
