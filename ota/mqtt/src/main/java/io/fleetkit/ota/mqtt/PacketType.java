package io.fleetkit.ota.mqtt;

/**
 * The MQTT 3.1.1 control packet types (section 2.2.1), as the high nibble of a packet's first
 * byte, with the flags the low nibble must hold for each type but PUBLISH (section 2.2.2). The
 * one list {@link PacketReader} and {@link PacketWriter} both use.
 */
enum PacketType {
    CONNECT(1, 0),
    CONNACK(2, 0),
    PUBLISH(3, -1), // its flags are DUP, QoS and RETAIN, given per packet
    PUBACK(4, 0),
    PUBREC(5, 0),
    PUBREL(6, 2),
    PUBCOMP(7, 0),
    SUBSCRIBE(8, 2),
    SUBACK(9, 0),
    UNSUBSCRIBE(10, 2),
    UNSUBACK(11, 0),
    PINGREQ(12, 0),
    PINGRESP(13, 0),
    DISCONNECT(14, 0);

    private static final PacketType[] BY_CODE = new PacketType[16];

    static {
        for (PacketType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;
    private final int flags;

    PacketType(int code, int flags) {
        this.code = code;
        this.flags = flags;
    }

    /** The type code (1..14). */
    int code() {
        return code;
    }

    /** The first byte of a packet of this type with its required flags; PUBLISH has none of its own ({@link #firstByte(int)}). */
    int firstByte() {
        if (flags < 0) {
            throw new IllegalStateException(this + " takes its flags per packet");
        }
        return firstByte(flags);
    }

    /** The first byte of a packet of this type with {@code flags} in the low nibble. */
    int firstByte(int flags) {
        return code << 4 | flags;
    }

    /** The type named by a packet's first byte, or null for the reserved codes 0 and 15. */
    static PacketType of(int firstByte) {
        return BY_CODE[(firstByte >>> 4) & 0x0f];
    }
}
