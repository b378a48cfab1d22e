package io.fleetkit.debian.archive;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The envelope of a derived cache entry ({@link ContentCache#storeDerived}): what it was made from
 * and a digest of its content, so a truncated, scribbled or misplaced file is recognised before
 * its content is used.
 *
 * <pre>
 * magic "FKDRV001" · u8 kind length · kind (ASCII) · SHA-256 of the source (32) · payload length (u64)
 * · SHA-256 of the payload (32) · payload
 * </pre>
 *
 * The digests detect damage, not forgery: whoever can write the cache can also replace the cached
 * .debs, which are found by name as well. Readers of a payload still treat it as untrusted input.
 */
public final class DerivedEntry {

    /** The file is not a complete, intact entry of the expected kind and source; the caller makes it again. */
    public static final class Damaged extends IOException {
        public Damaged(String message) {
            super(message);
        }
    }

    private static final byte[] MAGIC = "FKDRV001".getBytes(StandardCharsets.US_ASCII);

    private DerivedEntry() {
    }

    static byte[] wrap(String kind, String sourceSha256, byte[] payload) {
        byte[] k = kind.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(headerSize(k.length) + payload.length);
        b.put(MAGIC).put((byte) k.length).put(k).put(HexFormat.of().parseHex(sourceSha256)).putLong(payload.length)
                .put(sha256(payload, 0, payload.length)).put(payload);
        return b.array();
    }

    /** The payload of {@code file}, which must be an intact entry of {@code kind} made from {@code sourceSha256}. */
    static byte[] unwrap(String kind, String sourceSha256, byte[] file) throws Damaged {
        byte[] k = kind.getBytes(StandardCharsets.US_ASCII);
        int header = headerSize(k.length);
        if (file.length < header || !Arrays.equals(file, 0, MAGIC.length, MAGIC, 0, MAGIC.length)
                || file[MAGIC.length] != k.length
                || !Arrays.equals(file, MAGIC.length + 1, MAGIC.length + 1 + k.length, k, 0, k.length)) {
            throw new Damaged("not a " + kind + " entry (bad header)");
        }
        ByteBuffer b = ByteBuffer.wrap(file, MAGIC.length + 1 + k.length, 32 + 8 + 32);
        byte[] source = new byte[32];
        b.get(source);
        if (!HexFormat.of().formatHex(source).equals(sourceSha256)) {
            throw new Damaged("made from another source (" + HexFormat.of().formatHex(source) + ")");
        }
        long length = b.getLong();
        if (length != file.length - header) {
            throw new Damaged("content of " + (file.length - header) + " bytes, header says " + length);
        }
        byte[] digest = new byte[32];
        b.get(digest);
        if (!MessageDigest.isEqual(digest, sha256(file, header, file.length - header))) {
            throw new Damaged("content digest mismatch");
        }
        return Arrays.copyOfRange(file, header, file.length);
    }

    private static int headerSize(int kindLength) {
        return MAGIC.length + 1 + kindLength + 32 + 8 + 32;
    }

    private static byte[] sha256(byte[] b, int off, int len) {
        MessageDigest md = ContentCache.sha256Digest();
        md.update(b, off, len);
        return md.digest();
    }
}
