package io.fleetkit.formats.mbr;

import io.fleetkit.formats.disk.ByteRange;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;

/**
 * Writes sector 0 of a disk: no boot code, the disk signature, the four partition entries
 * and 0x55AA. CHS fields are filled the way fdisk does for LBA disks (255 heads, 63 sectors;
 * FE FF FF past cylinder 1023).
 */
public final class MbrWriter {

    private static final int HEADS = 255;
    private static final int SECTORS_PER_TRACK = 63;

    private MbrWriter() {
    }

    public static byte[] toBytes(PartitionTable table) {
        ByteBuffer b = ByteBuffer.allocate(PartitionTable.SECTOR).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(440, table.diskSignature());
        for (int i = 0; i < table.partitions().size(); i++) {
            MbrPartition p = table.partitions().get(i);
            int at = 446 + 16 * (table.numbers().get(i) - 1);
            b.put(at, (byte) (p.bootable() ? 0x80 : 0));
            putChs(b, at + 1, p.startLba());
            b.put(at + 4, (byte) p.type());
            putChs(b, at + 5, p.endLba() - 1);
            b.putInt(at + 8, (int) p.startLba());
            b.putInt(at + 12, (int) p.sizeSectors());
        }
        b.put(510, (byte) 0x55).put(511, (byte) 0xAA);
        return b.array();
    }

    /** Writes the MBR at byte 0 of {@code ch}; returns the range written. */
    public static ByteRange write(PartitionTable table, SeekableByteChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(toBytes(table));
        ch.position(0);
        while (b.hasRemaining()) {
            ch.write(b);
        }
        return new ByteRange(0, PartitionTable.SECTOR);
    }

    private static void putChs(ByteBuffer b, int at, long lba) {
        long cylinder = lba / (HEADS * SECTORS_PER_TRACK);
        if (cylinder > 1023) {
            b.put(at, (byte) 0xFE).put(at + 1, (byte) 0xFF).put(at + 2, (byte) 0xFF);
            return;
        }
        int head = (int) (lba / SECTORS_PER_TRACK % HEADS);
        int sector = (int) (lba % SECTORS_PER_TRACK) + 1;
        b.put(at, (byte) head);
        b.put(at + 1, (byte) (sector | ((cylinder >> 2) & 0xC0)));
        b.put(at + 2, (byte) cylinder);
    }
}
