package io.fleetkit.ota.protocol;

import io.fleetkit.json.JsonFields;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which bundle a desired update points to: SHA-256 of the whole file, its size, the size of its
 * signed header (bytes before the slot image), the chunk size and count. Chunk {@code i} of the
 * payload is {@code min(chunkSize, size - headerSize - i*chunkSize)} bytes.
 */
public record BundleRef(String sha256, long size, long headerSize, int chunkSize, int chunks) {

    public BundleRef {
        if (sha256 == null || !MessageJson.SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("bundle sha256 must be 64 lowercase hex digits");
        }
        if (headerSize <= 0 || size <= headerSize || chunkSize <= 0 || chunks <= 0
                || (size - headerSize + chunkSize - 1) / chunkSize != chunks) {
            throw new IllegalArgumentException("bundle sizes do not fit: size " + size + ", header " + headerSize
                    + ", chunkSize " + chunkSize + ", chunks " + chunks);
        }
    }

    /** Bytes of payload chunk {@code index}. */
    public int chunkLength(int index) {
        if (index < 0 || index >= chunks) {
            throw new IndexOutOfBoundsException("chunk " + index + " of " + chunks);
        }
        return (int) Math.min(chunkSize, size - headerSize - (long) index * chunkSize);
    }

    /** Offset of payload chunk {@code index} in the bundle file. */
    public long chunkOffset(int index) {
        chunkLength(index);
        return headerSize + (long) index * chunkSize;
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sha256", sha256);
        m.put("size", size);
        m.put("headerSize", headerSize);
        m.put("chunkSize", chunkSize);
        m.put("chunks", chunks);
        return m;
    }

    static BundleRef from(JsonFields f) {
        try {
            return new BundleRef(MessageJson.requiredSha256(f, "sha256"), f.requiredNonNegative("size"), f.requiredNonNegative("headerSize"),
                    f.requiredInt("chunkSize", 1, ChunkFrame.MAX_DATA), f.requiredInt("chunks", 1, Integer.MAX_VALUE));
        } catch (IllegalArgumentException e) {
            throw ProtocolException.malformed(f.what(), e.getMessage());
        }
    }
}
