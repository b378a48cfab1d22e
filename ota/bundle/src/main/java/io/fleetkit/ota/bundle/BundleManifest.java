package io.fleetkit.ota.bundle;

import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a bundle claims, signed by the fleet's update key: which system (name, version, board,
 * monotonic {@code versionNumber}), the slot image's size and SHA-256, the SHA-256 of each
 * {@code chunkSize} piece of it (the last one may be shorter), when it was made, until when a
 * device may install it, and which key signed it ({@link SigningKeyId}). Its canonical JSON form
 * ({@link ManifestJson}) is what gets signed.
 */
public record BundleManifest(
        int formatVersion,
        String name,
        String version,
        String board,
        long versionNumber,
        boolean allowDowngrade,
        long slotSize,
        String slotSha256,
        int chunkSize,
        List<String> chunkSha256,
        Instant createdAt,
        Instant expiresAt,
        String signer) {

    public static final int FORMAT_VERSION = 1;
    public static final int DEFAULT_CHUNK_SIZE = 1024 * 1024;
    public static final int MIN_CHUNK_SIZE = 4096;
    public static final int MAX_CHUNK_SIZE = 16 * 1024 * 1024;

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{16}");
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+~-]{0,127}");

    /** Checks every field, so a manifest object is always internally consistent. */
    public BundleManifest {
        require(formatVersion == FORMAT_VERSION, "formatVersion must be " + FORMAT_VERSION + ", is " + formatVersion);
        require(name != null && WORD.matcher(name).matches(), "name must be 1-128 of [A-Za-z0-9._+~-], is " + name);
        require(version != null && WORD.matcher(version).matches(), "version must be 1-128 of [A-Za-z0-9._+~-], is " + version);
        require(board != null && WORD.matcher(board).matches(), "board must be 1-128 of [A-Za-z0-9._+~-], is " + board);
        require(versionNumber >= 0, "versionNumber must not be negative, is " + versionNumber);
        require(slotSize > 0, "slotSize must be positive, is " + slotSize);
        require(slotSha256 != null && SHA256.matcher(slotSha256).matches(), "slotSha256 must be 64 lowercase hex digits");
        require(chunkSize >= MIN_CHUNK_SIZE && chunkSize <= MAX_CHUNK_SIZE,
                "chunkSize must be " + MIN_CHUNK_SIZE + ".." + MAX_CHUNK_SIZE + ", is " + chunkSize);
        require(chunkSha256 != null, "chunkSha256 is missing");
        long expected = (slotSize + chunkSize - 1) / chunkSize;
        require(chunkSha256.size() == expected,
                "chunkSha256 has " + chunkSha256.size() + " digests, a " + slotSize + "-byte slot in " + chunkSize + "-byte chunks needs " + expected);
        for (String d : chunkSha256) {
            require(d != null && SHA256.matcher(d).matches(), "chunk digests must be 64 lowercase hex digits");
        }
        chunkSha256 = List.copyOf(chunkSha256);
        require(createdAt != null && expiresAt != null, "createdAt and expiresAt are required");
        require(createdAt.getNano() == 0 && expiresAt.getNano() == 0, "times are whole seconds");
        require(expiresAt.isAfter(createdAt), "expiresAt " + expiresAt + " is not after createdAt " + createdAt);
        require(signer != null && KEY_ID.matcher(signer).matches(), "signer must be 16 lowercase hex digits");
    }

    public int chunkCount() {
        return chunkSha256.size();
    }

    /** Offset of chunk {@code index} in the slot image. */
    public long chunkOffset(int index) {
        checkIndex(index);
        return (long) index * chunkSize;
    }

    /** Length of chunk {@code index}: {@code chunkSize}, except possibly the last. */
    public int chunkLength(int index) {
        checkIndex(index);
        return (int) Math.min(chunkSize, slotSize - chunkOffset(index));
    }

    /** The canonical JSON bytes that are signed. */
    public byte[] canonicalBytes() {
        return ManifestJson.encode(this);
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= chunkSha256.size()) {
            throw new IndexOutOfBoundsException("chunk " + index + " of " + chunkSha256.size());
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("bundle manifest: " + message);
        }
    }
}
