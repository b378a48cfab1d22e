package io.fleetkit.ota.protocol;

import io.fleetkit.json.JsonFields;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;

/**
 * The binary answer on {@code chunks/data}: a 4-byte big-endian length {@code n}, {@code n} bytes
 * of JSON header ({@code schema, bundle, part, index, length}, {@code encoding} when the data is
 * deflated, or {@code error} instead of data), then exactly {@code length} bytes of data. Decoding
 * checks every length before it allocates; {@link #content(int)} inflates within the chunk's length.
 */
public record ChunkFrame(String bundle, ChunkPart part, int index, String error, String encoding, byte[] data) {

    public ChunkFrame(String bundle, ChunkPart part, int index, String error, byte[] data) {
        this(bundle, part, index, error, null, data);
    }

    /** Largest JSON header. */
    public static final int MAX_HEADER = 4096;
    /** Largest data part: a 16 MiB chunk (the bundle format's largest); a bundle header is at most ~1 MiB. */
    public static final int MAX_DATA = 16 * 1024 * 1024;
    /** Largest whole frame; brokers must accept MQTT messages of this size. */
    public static final int MAX_FRAME = 4 + MAX_HEADER + MAX_DATA;

    public ChunkFrame {
        if (bundle == null || !MessageJson.SHA256.matcher(bundle).matches()) {
            throw new IllegalArgumentException("bundle must be a sha256");
        }
        if (part == null || index < 0) {
            throw new IllegalArgumentException("bad part/index");
        }
        data = data == null ? new byte[0] : data;
        if (error != null && data.length > 0) {
            throw new IllegalArgumentException("an error frame carries no data");
        }
        if (data.length > MAX_DATA) {
            throw new IllegalArgumentException("frame data of " + data.length + " bytes is more than " + MAX_DATA);
        }
        if (encoding != null && !encoding.equals(ChunkCompression.DEFLATE)) {
            throw new IllegalArgumentException("unknown encoding " + encoding);
        }
    }

    /** A payload chunk deflated ({@link ChunkCompression#deflate}) where that is smaller, else as it is. */
    public static ChunkFrame payload(String bundle, int index, byte[] chunk, boolean mayDeflate) {
        byte[] deflated = mayDeflate ? ChunkCompression.deflate(chunk, 0, chunk.length) : null;
        return deflated != null ? new ChunkFrame(bundle, ChunkPart.PAYLOAD, index, null, ChunkCompression.DEFLATE, deflated)
                : new ChunkFrame(bundle, ChunkPart.PAYLOAD, index, null, null, chunk);
    }

    /** The data as sent, inflated when deflated; {@code length}: what the chunk must come to (refused otherwise). */
    public byte[] content(int length) {
        return encoding == null ? data : ChunkCompression.inflate(data, length);
    }

    public static ChunkFrame error(ChunkRequest request, String code) {
        return new ChunkFrame(request.bundle(), request.part(), request.index(), code, null);
    }

    public boolean isError() {
        return error != null;
    }

    @Override
    public byte[] data() {
        return data;
    }

    public byte[] encode() {
        Prepared p = prepare(bundle, part, index, error, encoding, data.length);
        System.arraycopy(data, 0, p.bytes(), p.dataOffset(), data.length);
        return p.bytes();
    }

    /** A frame with its header written and room for {@code length} data bytes at {@code dataOffset}, for writers that read data straight into it. */
    public record Prepared(byte[] bytes, int dataOffset) {}

    public static Prepared prepare(String bundle, ChunkPart part, int index, String error, int length) {
        return prepare(bundle, part, index, error, null, length);
    }

    private static Prepared prepare(String bundle, ChunkPart part, int index, String error, String encoding, int length) {
        if (length < 0 || length > MAX_DATA) {
            throw new IllegalArgumentException("frame data of " + length + " bytes is outside 0.." + MAX_DATA);
        }
        Map<String, Object> m = Messages.start();
        m.put("bundle", bundle);
        m.put("part", part.wire());
        m.put("index", index);
        m.put("length", length);
        if (error != null) {
            m.put("error", error);
        }
        if (encoding != null) {
            m.put("encoding", encoding);
        }
        byte[] header = Messages.bytes(m);
        if (header.length > MAX_HEADER) {
            throw new IllegalArgumentException("frame header of " + header.length + " bytes is more than " + MAX_HEADER);
        }
        byte[] out = new byte[4 + header.length + length];
        ByteBuffer.wrap(out).putInt(header.length).put(header);
        return new Prepared(out, 4 + header.length);
    }

    public static ChunkFrame decode(byte[] frame) {
        if (frame == null || frame.length < 4) {
            throw new ProtocolException("protocol.truncated-frame", "chunk frame of " + (frame == null ? 0 : frame.length) + " bytes has no header length");
        }
        if (frame.length > MAX_FRAME) {
            throw new ProtocolException("protocol.too-large", "chunk frame is " + frame.length + " bytes, more than " + MAX_FRAME);
        }
        long n = ByteBuffer.wrap(frame).getInt() & 0xffffffffL;
        if (n < 2 || n > MAX_HEADER) {
            throw ProtocolException.malformed("chunk frame", "header length " + n + " is outside 2.." + MAX_HEADER);
        }
        if (4 + n > frame.length) {
            throw new ProtocolException("protocol.truncated-frame", "chunk frame ends inside its " + n + "-byte header (" + frame.length + " bytes)");
        }
        JsonFields f = MessageJson.parse(Arrays.copyOfRange(frame, 4, 4 + (int) n), "chunk frame header", MAX_HEADER);
        String bundle = MessageJson.requiredSha256(f, "bundle");
        ChunkPart part = ChunkPart.parse(f.requiredString("part", 16), "chunk frame header");
        int index = f.requiredInt("index", 0, Integer.MAX_VALUE);
        int length = f.requiredInt("length", 0, MAX_DATA);
        String error = f.optionalString("error", Schema.MAX_NAME);
        String encoding = f.optionalString("encoding", 16);
        if (encoding != null && (!encoding.equals(ChunkCompression.DEFLATE) || part != ChunkPart.PAYLOAD || error != null)) {
            throw ProtocolException.malformed("chunk frame", "encoding " + encoding + " on a " + part.wire() + " frame");
        }
        long dataStart = 4 + n;
        if (frame.length - dataStart != length) {
            throw new ProtocolException(frame.length - dataStart < length ? "protocol.truncated-frame" : "protocol.malformed",
                    "chunk frame header says " + length + " data bytes, the frame carries " + (frame.length - dataStart));
        }
        if (error != null && length != 0) {
            throw ProtocolException.malformed("chunk frame", "an error frame carries data");
        }
        return new ChunkFrame(bundle, part, index, error, encoding, Arrays.copyOfRange(frame, (int) dataStart, frame.length));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChunkFrame c && bundle.equals(c.bundle) && part == c.part && index == c.index
                && java.util.Objects.equals(error, c.error) && java.util.Objects.equals(encoding, c.encoding) && Arrays.equals(data, c.data);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(bundle, part, index, error, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "ChunkFrame[" + part.wire() + " " + index + " of " + bundle.substring(0, 12) + ", " + (error != null ? "error " + error : data.length + " bytes") + "]";
    }
}
