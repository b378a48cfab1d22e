package io.fleetkit.formats.mbr;

/**
 * One primary MBR partition in 512-byte sectors. Type bytes: 0x0c FAT32 LBA, 0x0e FAT16 LBA,
 * 0x83 Linux.
 */
public record MbrPartition(long startLba, long sizeSectors, int type, boolean bootable) {

    public static final int TYPE_FAT32_LBA = 0x0c;
    public static final int TYPE_FAT16_LBA = 0x0e;
    public static final int TYPE_LINUX = 0x83;

    public MbrPartition {
        if (startLba < 1 || sizeSectors < 1 || startLba + sizeSectors > 0x1_0000_0000L) {
            throw new IllegalArgumentException("partition " + startLba + "+" + sizeSectors
                    + " sectors is outside what an MBR can address");
        }
        if (type < 1 || type > 0xFF) {
            throw new IllegalArgumentException("partition type " + type + " is not a nonzero byte");
        }
    }

    public long endLba() {
        return startLba + sizeSectors;
    }

    public long startByte() {
        return startLba * PartitionTable.SECTOR;
    }

    public long sizeBytes() {
        return sizeSectors * PartitionTable.SECTOR;
    }
}
