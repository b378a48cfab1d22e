package io.fleetkit.formats.fat;

import io.fleetkit.events.FleetkitException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** The boot sector (BPB) and FAT32 FSInfo sector: building and parsing. */
final class FatBootSector {

    static final int FSINFO_SECTOR = 1;
    static final int BACKUP_BOOT_SECTOR = 6;
    static final int ROOT_CLUSTER = 2;
    static final int MEDIA = 0xF8;

    /** x86 code that prints the message below, waits for a key and asks the BIOS to reboot. */
    private static final byte[] BOOT_CODE = {
        0x0e, 0x1f, (byte) 0xbe, 0, 0, (byte) 0xac, 0x22, (byte) 0xc0, 0x74, 0x0b, 0x56,
        (byte) 0xb4, 0x0e, (byte) 0xbb, 0x07, 0x00, (byte) 0xcd, 0x10, 0x5e, (byte) 0xeb,
        (byte) 0xf0, 0x32, (byte) 0xe4, (byte) 0xcd, 0x16, (byte) 0xcd, 0x19, (byte) 0xeb, (byte) 0xfe};
    private static final String MESSAGE = "This is not a bootable disk. It holds boot files for an"
            + " ARM board.\r\nPlease remove it and press any key to try again ... \r\n";

    /**
     * A volume's boot sector as read. {@code fatBits} is 12, 16 or 32; a FAT12 volume has the FAT16
     * layout (fixed root directory) and its geometry says FAT16: it is read, never written.
     */
    record Parsed(FatGeometry geometry, String label, int volumeId, long rootCluster, int fatBits) {
    }

    private FatBootSector() {
    }

    static byte[] build(FatGeometry g, String label11, int volumeId) {
        ByteBuffer b = ByteBuffer.allocate(FatGeometry.SECTOR).order(ByteOrder.LITTLE_ENDIAN);
        boolean fat32 = g.type() == FatType.FAT32;
        int codeStart = fat32 ? 90 : 62;
        b.put(new byte[] {(byte) 0xEB, (byte) (codeStart - 2), (byte) 0x90});
        b.put("FLEETKIT".getBytes(StandardCharsets.US_ASCII));
        b.putShort((short) FatGeometry.SECTOR);
        b.put((byte) g.sectorsPerCluster());
        b.putShort((short) g.reservedSectors());
        b.put((byte) FatGeometry.FAT_COPIES);
        b.putShort((short) g.rootEntries());
        b.putShort((short) (!fat32 && g.totalSectors() < 65536 ? g.totalSectors() : 0));
        b.put((byte) MEDIA);
        b.putShort((short) (fat32 ? 0 : g.fatSectors()));
        b.putShort((short) 63).putShort((short) 255);
        b.putInt((int) g.hiddenSectors());
        b.putInt((int) (!fat32 && g.totalSectors() < 65536 ? 0 : g.totalSectors()));
        if (fat32) {
            b.putInt((int) g.fatSectors()).putShort((short) 0).putShort((short) 0);
            b.putInt(ROOT_CLUSTER).putShort((short) FSINFO_SECTOR).putShort((short) BACKUP_BOOT_SECTOR);
            b.put(new byte[12]);
        }
        b.put((byte) 0x80).put((byte) 0).put((byte) 0x29).putInt(volumeId);
        b.put(label11.getBytes(StandardCharsets.US_ASCII));
        b.put((fat32 ? "FAT32   " : "FAT16   ").getBytes(StandardCharsets.US_ASCII));
        byte[] code = BOOT_CODE.clone();
        int messageAddress = 0x7c00 + codeStart + code.length;
        code[3] = (byte) messageAddress;
        code[4] = (byte) (messageAddress >> 8);
        b.put(code).put(MESSAGE.getBytes(StandardCharsets.US_ASCII));
        b.put(510, (byte) 0x55).put(511, (byte) 0xAA);
        return b.array();
    }

    static byte[] fsInfo(long freeClusters, long nextFree) {
        ByteBuffer b = ByteBuffer.allocate(FatGeometry.SECTOR).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 0x41615252).putInt(484, 0x61417272);
        b.putInt(488, (int) freeClusters).putInt(492, (int) nextFree);
        b.putInt(508, 0xAA550000);
        return b.array();
    }

    static Parsed parse(byte[] sector, String where) {
        ByteBuffer b = ByteBuffer.wrap(sector).order(ByteOrder.LITTLE_ENDIAN);
        int bytesPerSector = b.getShort(11) & 0xFFFF;
        int spc = b.get(13) & 0xFF;
        int reserved = b.getShort(14) & 0xFFFF;
        int fats = b.get(16) & 0xFF;
        int roots = b.getShort(17) & 0xFFFF;
        long total = (b.getShort(19) & 0xFFFF) != 0 ? b.getShort(19) & 0xFFFF : b.getInt(32) & 0xFFFFFFFFL;
        long fat = (b.getShort(22) & 0xFFFF) != 0 ? b.getShort(22) & 0xFFFF : b.getInt(36) & 0xFFFFFFFFL;
        if ((sector[510] & 0xFF) != 0x55 || (sector[511] & 0xFF) != 0xAA || bytesPerSector != FatGeometry.SECTOR
                || spc == 0 || Integer.bitCount(spc) != 1 || fats != FatGeometry.FAT_COPIES || fat == 0 || total == 0) {
            throw new FleetkitException("image.fat-unreadable",
                    where + " has no FAT boot sector this reader understands (512-byte sectors, 2 FATs)",
                    "check the partition offset");
        }
        long rootSectors = (roots * 32L + FatGeometry.SECTOR - 1) / FatGeometry.SECTOR;
        long clusters = (total - reserved - fats * fat - rootSectors) / spc;
        if (clusters < 1) {
            throw new FleetkitException("image.fat-unreadable", where + " has a boot sector that leaves no room for data",
                    "check the partition offset");
        }
        // Like Linux: a zero 16-bit FAT size means FAT32, whatever the cluster count.
        FatType type = (b.getShort(22) & 0xFFFF) == 0 ? FatType.FAT32 : FatType.forClusterCount(clusters);
        boolean fat32 = type == FatType.FAT32;
        int fatBits = fat32 ? 32 : clusters < FatType.FAT16.minClusters ? 12 : 16;
        int labelAt = fat32 ? 71 : 43;
        String label = new String(sector, labelAt, 11, StandardCharsets.ISO_8859_1).stripTrailing();
        FatGeometry g = new FatGeometry(type, total, spc, reserved, fat, roots, clusters,
                b.getInt(28) & 0xFFFFFFFFL);
        return new Parsed(g, label, b.getInt(fat32 ? 67 : 39), fat32 ? b.getInt(44) & 0x0FFFFFFFL : 0, fatBits);
    }
}
