package io.fleetkit.ota.protocol;

import io.fleetkit.json.JsonFields;
import java.util.Map;

/**
 * A device asks for its bundle's signed header ({@code index} 0) or for payload chunk {@code index};
 * {@code acceptsDeflate}: the answer may carry the chunk deflated ({@link ChunkCompression}).
 */
public record ChunkRequest(String bundle, ChunkPart part, int index, boolean acceptsDeflate) {

    public ChunkRequest(String bundle, ChunkPart part, int index) {
        this(bundle, part, index, false);
    }

    public ChunkRequest {
        if (bundle == null || !MessageJson.SHA256.matcher(bundle).matches()) {
            throw new IllegalArgumentException("bundle must be a sha256");
        }
        if (part == null || index < 0 || (part == ChunkPart.HEADER && index != 0)) {
            throw new IllegalArgumentException("bad part/index " + part + "/" + index);
        }
    }

    public static ChunkRequest header(String bundle) {
        return new ChunkRequest(bundle, ChunkPart.HEADER, 0);
    }

    public static ChunkRequest payload(String bundle, int index) {
        return new ChunkRequest(bundle, ChunkPart.PAYLOAD, index);
    }

    /** This request, saying the answer may be deflated. */
    public ChunkRequest acceptingDeflate() {
        return new ChunkRequest(bundle, part, index, true);
    }

    public byte[] encode() {
        Map<String, Object> m = Messages.start();
        m.put("bundle", bundle);
        m.put("part", part.wire());
        if (part == ChunkPart.PAYLOAD) {
            m.put("index", index);
        }
        if (acceptsDeflate) {
            m.put("accept", ChunkCompression.DEFLATE);
        }
        return Messages.bytes(m);
    }

    public static ChunkRequest decode(byte[] payload) {
        JsonFields f = MessageJson.parse(payload, "chunk request", 1024);
        String bundle = MessageJson.requiredSha256(f, "bundle");
        ChunkPart part = ChunkPart.parse(f.requiredString("part", 16), "chunk request");
        int index = part == ChunkPart.PAYLOAD ? f.requiredInt("index", 0, Integer.MAX_VALUE) : 0;
        // an encoding this server does not know is simply not used
        return new ChunkRequest(bundle, part, index, ChunkCompression.DEFLATE.equals(f.optionalString("accept", 16)));
    }
}
