package io.fleetkit.formats.uimage;

import io.fleetkit.events.FleetkitException;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * U-Boot's legacy image format ({@code mkimage -T script -C none}), byte for byte: a 64-byte
 * big-endian header (magic 0x27051956, header CRC, time, data size, load/entry 0, data CRC,
 * OS, arch, type, compression, 32-byte name), then for scripts a table of uint32 lengths
 * ended by 0 and the script itself, unpadded.
 */
public final class UBootLegacyImage {

    public static final int MAGIC = 0x27051956;
    public static final int HEADER_SIZE = 64;
    private static final int OS_LINUX = 5;
    private static final int TYPE_SCRIPT = 6;
    private static final int COMPRESSION_NONE = 0;
    private static final int NAME_SIZE = 32;

    /** mkimage's {@code -A} values. */
    public enum Arch {
        ARM(2), ARM64(0x16);

        final int code;

        Arch(int code) {
            this.code = code;
        }
    }

    /** A parsed header whose CRCs have been checked. */
    public record Header(String name, long timestampEpochSecond, int os, int arch, int type, int compression,
                         int dataSize) {
    }

    private UBootLegacyImage() {
    }

    /** The {@code boot.scr} that {@code mkimage -A arch -O linux -T script -C none -n name -d script} makes. */
    public static byte[] script(String name, byte[] script, Arch arch, long timestampEpochSecond) {
        ByteBuffer payload = ByteBuffer.allocate(8 + script.length);
        payload.putInt(script.length).putInt(0).put(script);
        return image(name, payload.array(), arch, TYPE_SCRIPT, timestampEpochSecond);
    }

    /** The script carried by a script image, after checking both CRCs. */
    public static byte[] scriptOf(byte[] image) {
        Header h = parse(image);
        if (h.type() != TYPE_SCRIPT) {
            throw invalid("image type is " + h.type() + ", not a script");
        }
        ByteBuffer b = ByteBuffer.wrap(image, HEADER_SIZE, h.dataSize());
        long length = b.getInt() & 0xFFFFFFFFL;
        if (b.getInt() != 0 || length > h.dataSize() - 8) {
            throw invalid("script image holds more than one part or a bad length");
        }
        byte[] out = new byte[(int) length];
        b.get(out);
        return out;
    }

    public static Header parse(byte[] image) {
        if (image.length < HEADER_SIZE) {
            throw invalid("shorter than the 64-byte header");
        }
        ByteBuffer b = ByteBuffer.wrap(image);
        if (b.getInt(0) != MAGIC) {
            throw invalid("bad magic " + Integer.toHexString(b.getInt(0)));
        }
        byte[] header = java.util.Arrays.copyOf(image, HEADER_SIZE);
        ByteBuffer.wrap(header).putInt(4, 0);
        if (crc(header, 0, HEADER_SIZE) != b.getInt(4)) {
            throw invalid("header CRC mismatch");
        }
        int size = b.getInt(12);
        if (size < 0 || size > image.length - HEADER_SIZE) {
            throw invalid("data size " + size + " exceeds the file");
        }
        if (crc(image, HEADER_SIZE, size) != b.getInt(24)) {
            throw invalid("data CRC mismatch");
        }
        int nameEnd = 32;
        while (nameEnd < 64 && image[nameEnd] != 0) {
            nameEnd++;
        }
        return new Header(new String(image, 32, nameEnd - 32, StandardCharsets.ISO_8859_1),
                b.getInt(8) & 0xFFFFFFFFL, image[28], image[29] & 0xFF, image[30], image[31], size);
    }

    private static byte[] image(String name, byte[] payload, Arch arch, int type, long time) {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(HEADER_SIZE + payload.length);
        b.putInt(MAGIC).putInt(0).putInt((int) time).putInt(payload.length).putInt(0).putInt(0);
        b.putInt(crc(payload, 0, payload.length));
        b.put((byte) OS_LINUX).put((byte) arch.code).put((byte) type).put((byte) COMPRESSION_NONE);
        b.put(nameBytes, 0, Math.min(NAME_SIZE, nameBytes.length));
        b.position(HEADER_SIZE);
        b.put(payload);
        byte[] out = b.array();
        ByteBuffer.wrap(out).putInt(4, crc(out, 0, HEADER_SIZE));
        return out;
    }

    private static int crc(byte[] data, int from, int length) {
        CRC32 crc = new CRC32();
        crc.update(data, from, length);
        return (int) crc.getValue();
    }

    private static FleetkitException invalid(String why) {
        return new FleetkitException("image.uboot-invalid", "not a valid U-Boot legacy image: " + why, null);
    }
}
