package io.fleetkit.flash;

import java.nio.ByteBuffer;

/**
 * Bytes to write at {@code offset} of the target. {@code data} is shared read-only by every
 * writer of a fan-out (each writes through its own {@link ByteBuffer#duplicate()}), and
 * {@code sha256} is the digest of exactly these bytes, used to read the target back.
 */
public record Chunk(long offset, ByteBuffer data, byte[] sha256) {

    public Chunk {
        data = data.asReadOnlyBuffer();
    }

    public int length() {
        return data.remaining();
    }

    public long end() {
        return offset + data.remaining();
    }

    public static Chunk of(long offset, byte[] bytes, int from, int length) {
        ByteBuffer b = ByteBuffer.wrap(bytes, from, length).slice();
        return new Chunk(offset, b, Digests.sha256(b.duplicate()));
    }

    /** What verification needs to remember once the bytes are gone. */
    public WrittenRange written() {
        return new WrittenRange(offset, length(), sha256);
    }
}
