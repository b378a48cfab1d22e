package io.fleetkit.formats.fat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Locale;

/** Folds long-name slots into the short entry that follows them. */
final class DirectoryScanner {
    private final StringBuilder[] parts = new StringBuilder[21];
    private int expected;
    private int checksum = -1;
    private int firstSlot = -1;
    private final boolean fat32;

    /** FAT12/16 keep no high cluster word: what lies there (OS/2 used it) is not part of the cluster. */
    DirectoryScanner(boolean fat32) {
        this.fat32 = fat32;
    }

    FatImageReader.RawEntry accept(byte[] slot, int index, long[] slots, String prefix) {
        int attr = slot[11] & 0xFF;
        if ((slot[0] & 0xFF) == 0xE5) {
            expected = 0;
            return null;
        }
        if (attr == DirectoryRecords.ATTR_LONG_NAME) {
            int ord = slot[0] & 0x1F;
            if ((slot[0] & 0x40) != 0) {
                expected = ord;
                checksum = slot[13] & 0xFF;
                firstSlot = index;
                Arrays.fill(parts, null);
            }
            if (ord >= 1 && ord <= 20 && (slot[13] & 0xFF) == checksum) {
                parts[ord] = new StringBuilder(DirectoryRecords.longEntryChars(slot, 0));
            }
            return null;
        }
        byte[] name11 = Arrays.copyOf(slot, 11);
        String shortName = FatNames.display(name11, slot[12] & 0xFF);
        String longName = longName(name11);
        int first = longName != null ? firstSlot : index;
        expected = 0;
        if ((attr & DirectoryRecords.ATTR_VOLUME_ID) != 0 || shortName.equals(".") || shortName.equals("..")) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(slot).order(ByteOrder.LITTLE_ENDIAN);
        long cluster = (fat32 ? (b.getShort(20) & 0xFFFFL) << 16 : 0) | (b.getShort(26) & 0xFFFF);
        String name = longName != null ? longName : shortName;
        long[] offsets = Arrays.copyOfRange(slots, first, index + 1);
        return new FatImageReader.RawEntry(new FatFileInfo(prefix + name, name, shortName.toUpperCase(Locale.ROOT),
                (attr & DirectoryRecords.ATTR_DIRECTORY) != 0, b.getInt(28) & 0xFFFFFFFFL, cluster),
                name11, offsets);
    }

    private String longName(byte[] name11) {
        if (expected == 0 || FatNames.checksum(name11) != checksum) {
            return null;
        }
        StringBuilder s = new StringBuilder();
        for (int i = 1; i <= expected; i++) {
            if (parts[i] == null) {
                return null;
            }
            s.append(parts[i]);
        }
        return s.toString();
    }
}
