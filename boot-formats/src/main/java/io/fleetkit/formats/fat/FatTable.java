package io.fleetkit.formats.fat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The allocation table in memory: one entry per cluster, entries 0 and 1 reserved. */
final class FatTable implements ClusterLinks {

    private final FatType type;
    private final int[] entries;

    FatTable(FatType type, long clusterCount) {
        this.type = type;
        this.entries = new int[Math.toIntExact(clusterCount + 2)];
        entries[0] = type == FatType.FAT16 ? 0xFF00 | FatBootSector.MEDIA : 0x0FFFFF00 | FatBootSector.MEDIA;
        entries[1] = type.endOfChain;
    }

    static FatTable parse(FatType type, long clusterCount, byte[] raw) {
        FatTable t = new FatTable(type, clusterCount);
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < t.entries.length; i++) {
            t.entries[i] = type == FatType.FAT16 ? b.getShort(i * 2) & 0xFFFF : b.getInt(i * 4) & 0x0FFFFFFF;
        }
        return t;
    }

    int get(long cluster) {
        return entries[(int) cluster];
    }

    @Override
    public long next(long cluster) {
        return entries[(int) cluster] & 0xFFFFFFFFL;
    }

    void set(long cluster, int value) {
        entries[(int) cluster] = value;
    }

    int endOfChain() {
        return type.endOfChain;
    }

    long clusterLimit() {
        return entries.length;
    }

    /** Links {@code count} clusters from {@code first} on into one chain. */
    void chain(long first, long count) {
        for (long c = first; c < first + count; c++) {
            set(c, c == first + count - 1 ? type.endOfChain : (int) (c + 1));
        }
    }

    long freeCount() {
        long free = 0;
        for (int i = 2; i < entries.length; i++) {
            free += entries[i] == 0 ? 1 : 0;
        }
        return free;
    }

    long firstFree() {
        for (int i = 2; i < entries.length; i++) {
            if (entries[i] == 0) {
                return i;
            }
        }
        return 0xFFFFFFFFL;
    }

    /** The table as stored: {@code sectors} long, unused tail zero. */
    byte[] toBytes(long sectors) {
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(sectors * FatGeometry.SECTOR))
                .order(ByteOrder.LITTLE_ENDIAN);
        for (int e : entries) {
            if (type == FatType.FAT16) {
                b.putShort((short) e);
            } else {
                b.putInt(e);
            }
        }
        return b.array();
    }

    /** Byte position of a cluster's entry within one FAT copy. */
    long entryOffset(long cluster) {
        return cluster * type.entryBytes;
    }

    int entryBytes() {
        return type.entryBytes;
    }
}
