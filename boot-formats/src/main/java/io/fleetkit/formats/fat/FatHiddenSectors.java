package io.fleetkit.formats.fat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * Sets a FAT volume's "hidden sectors" (BPB offset 28: the partition's start LBA) in its boot
 * sector and, on FAT32, in the backup boot sector. A slot image is built once and written to
 * whichever slot partition is free, so its own boot sector cannot know where it will lie; the
 * writer that puts it in place says so here. Linux and U-Boot ignore the field; DOS-lineage
 * readers and some firmware use it.
 */
public final class FatHiddenSectors {

    private static final int SECTOR = 512;

    private FatHiddenSectors() {
    }

    /** @param volumeStart byte offset of the volume in {@code ch} */
    public static void set(FileChannel ch, long volumeStart, long startLba) throws IOException {
        ByteBuffer boot = read(ch, volumeStart);
        if ((boot.get(510) & 0xff) != 0x55 || (boot.get(511) & 0xff) != 0xaa) {
            throw new IOException("no FAT boot sector at byte " + volumeStart);
        }
        write(ch, volumeStart, startLba);
        boolean fat32 = boot.getShort(22) == 0;
        int backup = boot.getShort(50) & 0xffff;
        if (fat32 && backup != 0 && backup != 0xffff) {
            write(ch, volumeStart + (long) backup * SECTOR, startLba);
        }
    }

    private static ByteBuffer read(FileChannel ch, long at) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(SECTOR).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) {
                throw new IOException("short read of the boot sector at byte " + at);
            }
        }
        return b.flip();
    }


    private static void write(FileChannel ch, long sectorStart, long startLba) throws IOException {
        ByteBuffer field = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, (int) startLba);
        while (field.hasRemaining()) {
            ch.write(field, sectorStart + 28 + field.position());
        }
    }
}
