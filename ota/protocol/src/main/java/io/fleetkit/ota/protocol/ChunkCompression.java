package io.fleetkit.ota.protocol;

import java.io.ByteArrayOutputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * How a payload chunk may travel compressed: raw DEFLATE (RFC 1951, the JDK's {@link Deflater} and
 * {@link Inflater}, so the agent needs nothing beyond java.base), and only when that is smaller.
 * The chunk's digest in the signed manifest is of its uncompressed bytes, so compression changes
 * nothing about what a device verifies; it only bounds what it inflates to the chunk's length.
 */
public final class ChunkCompression {

    /** The wire name, in a chunk request ({@code "accept"}) and a chunk frame ({@code "encoding"}). */
    public static final String DEFLATE = "deflate";

    private ChunkCompression() {
    }

    /** {@code data} deflated, or null when that would not be smaller. */
    public static byte[] deflate(byte[] data, int offset, int length) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            deflater.setInput(data, offset, length);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, length / 4));
            byte[] buf = new byte[64 * 1024];
            while (!deflater.finished()) {
                out.write(buf, 0, deflater.deflate(buf));
                if (out.size() >= length) {
                    return null;
                }
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    /**
     * {@code compressed} inflated to exactly {@code length} bytes; refuses ({@code protocol.bad-encoding})
     * data that inflates to more or less, or is not DEFLATE, without ever holding more than {@code length}.
     */
    public static byte[] inflate(byte[] compressed, int length) {
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(compressed);
            byte[] out = new byte[length];
            int n = 0;
            while (n < length && !inflater.finished()) {
                int got = inflater.inflate(out, n, length - n);
                if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                n += got;
            }
            if (n < length || !inflater.finished() && probeMore(inflater)) {
                throw new ProtocolException("protocol.bad-encoding", "a deflated chunk inflates to "
                        + (n < length ? n + " bytes" : "more than its " + length + " bytes") + ", not " + length);
            }
            if (inflater.getRemaining() > 0) {
                throw new ProtocolException("protocol.bad-encoding", "a deflated chunk has " + inflater.getRemaining() + " bytes after its end");
            }
            return out;
        } catch (DataFormatException e) {
            throw new ProtocolException("protocol.bad-encoding", "a deflated chunk is not DEFLATE data: " + e.getMessage());
        } finally {
            inflater.end();
        }
    }

    /** Whether the stream goes on past the expected length (one more byte is enough to say so). */
    private static boolean probeMore(Inflater inflater) throws DataFormatException {
        return inflater.inflate(new byte[1]) > 0 || !inflater.finished();
    }
}
