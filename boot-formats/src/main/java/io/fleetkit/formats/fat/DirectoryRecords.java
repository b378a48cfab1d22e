package io.fleetkit.formats.fat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** Encodes 32-byte directory records: short entries and VFAT long-name entries. */
final class DirectoryRecords {

    static final int SIZE = 32;
    static final int ATTR_READ_ONLY = 0x01;
    static final int ATTR_VOLUME_ID = 0x08;
    static final int ATTR_DIRECTORY = 0x10;
    static final int ATTR_ARCHIVE = 0x20;
    static final int ATTR_LONG_NAME = 0x0F;
    private static final int CHARS_PER_LONG_ENTRY = 13;
    private static final int[] CHAR_OFFSETS = {1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30};

    private DirectoryRecords() {
    }

    static byte[] shortEntry(byte[] name11, int attr, int caseBits, long cluster, long size, DosTimestamp ts) {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.put(name11).put((byte) attr).put((byte) caseBits).put((byte) ts.tenths());
        b.putShort((short) ts.time()).putShort((short) ts.date()).putShort((short) ts.date());
        b.putShort((short) (cluster >>> 16));
        b.putShort((short) ts.time()).putShort((short) ts.date());
        b.putShort((short) cluster).putInt((int) size);
        return b.array();
    }

    /** Long-name entries in the order they appear on disk (last part first). */
    static List<byte[]> longEntries(String name, byte[] shortName) {
        int count = (name.length() + CHARS_PER_LONG_ENTRY - 1) / CHARS_PER_LONG_ENTRY;
        int checksum = FatNames.checksum(shortName);
        List<byte[]> out = new ArrayList<>();
        for (int seq = count; seq >= 1; seq--) {
            byte[] e = new byte[SIZE];
            e[0] = (byte) (seq | (seq == count ? 0x40 : 0));
            e[11] = ATTR_LONG_NAME;
            e[13] = (byte) checksum;
            for (int i = 0; i < CHARS_PER_LONG_ENTRY; i++) {
                int at = (seq - 1) * CHARS_PER_LONG_ENTRY + i;
                int c = at < name.length() ? name.charAt(at) : at == name.length() ? 0 : 0xFFFF;
                e[CHAR_OFFSETS[i]] = (byte) c;
                e[CHAR_OFFSETS[i] + 1] = (byte) (c >> 8);
            }
            out.add(e);
        }
        return out;
    }

    /** The 13 characters of one long-name entry, stopping at the terminator. */
    static String longEntryChars(byte[] dir, int at) {
        StringBuilder s = new StringBuilder();
        for (int off : CHAR_OFFSETS) {
            int c = (dir[at + off] & 0xFF) | ((dir[at + off + 1] & 0xFF) << 8);
            if (c == 0 || c == 0xFFFF) {
                break;
            }
            s.append((char) c);
        }
        return s.toString();
    }

    static int slotsFor(String name, boolean needsLong) {
        return 1 + (needsLong ? (name.length() + CHARS_PER_LONG_ENTRY - 1) / CHARS_PER_LONG_ENTRY : 0);
    }
}
