package io.fleetkit.netboot.tftp;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** TFTP opcodes and packet encoding (RFC 1350, options RFC 2347). Decoding checks every bound. */
public final class TftpPacket {

    public static final int RRQ = 1;
    public static final int WRQ = 2;
    public static final int DATA = 3;
    public static final int ACK = 4;
    public static final int ERROR = 5;
    public static final int OACK = 6;

    public static final int ERR_UNDEFINED = 0;
    public static final int ERR_NOT_FOUND = 1;
    public static final int ERR_ACCESS = 2;
    public static final int ERR_ILLEGAL = 4;
    public static final int ERR_UNKNOWN_TID = 5;
    public static final int ERR_OPTION = 8;

    /** Requests are small; anything longer is not a request we serve. */
    static final int MAX_REQUEST = 2048;

    /** A read or write request: file name, mode, options with lower-case names. */
    public record Request(int opcode, String filename, String mode, Map<String, String> options) {
    }

    private TftpPacket() {
    }

    public static int opcode(byte[] data, int length) {
        return length < 2 ? -1 : (data[0] & 0xff) << 8 | data[1] & 0xff;
    }

    /** The block number of a DATA or ACK packet (4 bytes at least), else -1. */
    public static int block(byte[] data, int length) {
        return length < 4 ? -1 : (data[2] & 0xff) << 8 | data[3] & 0xff;
    }

    public static Request parseRequest(byte[] data, int length) throws TftpFormatException {
        int op = opcode(data, length);
        if (op != RRQ && op != WRQ) {
            throw new TftpFormatException("opcode " + op + " is not a request");
        }
        if (length > MAX_REQUEST) {
            throw new TftpFormatException("request of " + length + " bytes is too long");
        }
        int[] pos = {2};
        String filename = string(data, length, pos, "file name");
        String mode = string(data, length, pos, "mode").toLowerCase(Locale.ROOT);
        if (filename.isEmpty()) {
            throw new TftpFormatException("empty file name");
        }
        Map<String, String> options = new LinkedHashMap<>();
        while (pos[0] < length) {
            String name = string(data, length, pos, "option name").toLowerCase(Locale.ROOT);
            String value = string(data, length, pos, "value of option " + name);
            if (!name.isEmpty()) {
                options.putIfAbsent(name, value);
            }
        }
        return new Request(op, filename, mode, options);
    }

    private static String string(byte[] data, int length, int[] pos, String what) throws TftpFormatException {
        int start = pos[0];
        int end = start;
        while (end < length && data[end] != 0) {
            end++;
        }
        if (end >= length) {
            throw new TftpFormatException(what + " is not NUL-terminated");
        }
        pos[0] = end + 1;
        return new String(data, start, end - start, StandardCharsets.ISO_8859_1);
    }

    /** Writes a DATA header into the first 4 bytes of {@code packet}. */
    public static void dataHeader(byte[] packet, int block) {
        packet[0] = 0;
        packet[1] = DATA;
        packet[2] = (byte) (block >>> 8);
        packet[3] = (byte) block;
    }

    public static byte[] ack(int block) {
        return new byte[] {0, ACK, (byte) (block >>> 8), (byte) block};
    }

    public static byte[] error(int code, String message) {
        byte[] m = message.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(5 + m.length);
        b.putShort((short) ERROR).putShort((short) code).put(m).put((byte) 0);
        return b.array();
    }

    public static byte[] oack(Map<String, String> options) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0);
        b.write(OACK);
        options.forEach((k, v) -> {
            b.writeBytes(k.getBytes(StandardCharsets.US_ASCII));
            b.write(0);
            b.writeBytes(v.getBytes(StandardCharsets.US_ASCII));
            b.write(0);
        });
        return b.toByteArray();
    }

    /** An ERROR packet's message, for logs; bounded and printable. */
    public static String errorMessage(byte[] data, int length) {
        int end = 4;
        while (end < length && data[end] != 0 && end < 260) {
            end++;
        }
        return length <= 4 ? "" : new String(data, 4, end - 4, StandardCharsets.US_ASCII).replaceAll("[^ -~]", "?");
    }
}
