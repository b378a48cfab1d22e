package io.fleetkit.ota.protocol;

/** Which part of a bundle a chunk request or frame is about: the signed header, or payload chunk {@code index}. */
public enum ChunkPart {
    HEADER("header"), PAYLOAD("payload");

    private final String wire;

    ChunkPart(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    static ChunkPart parse(String s, String what) {
        for (ChunkPart p : values()) {
            if (p.wire.equals(s)) {
                return p;
            }
        }
        throw ProtocolException.malformed(what, "'part' must be 'header' or 'payload', is '" + Text.shorten(String.valueOf(s)) + "'");
    }
}
