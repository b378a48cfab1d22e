package io.fleetkit.flash;

import io.fleetkit.formats.bmap.BlockMapBuilder;
import io.fleetkit.formats.bmap.BmapWriter;
import io.fleetkit.formats.disk.ByteRange;
import io.fleetkit.formats.fat.FatImageWriter;
import io.fleetkit.formats.fat.FatTree;
import io.fleetkit.formats.fat.FatVolumeSpec;
import io.fleetkit.formats.fat.FatWriteResult;
import io.fleetkit.formats.mbr.MbrPartition;
import io.fleetkit.formats.mbr.MbrWriter;
import io.fleetkit.formats.mbr.PartitionTable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A small disk image laid out like fleet build's (MBR; p1 boot FAT at 4 MiB; p2 "slot A" with
 * random data; p3 empty; p4 data with its first MiB zeroed), sparse, with our bmap beside it.
 */
public record SyntheticImage(Path image, Path bmap, List<ByteRange> mapped, long size, long bootStart) {

    public static final long MIB = 1 << 20;

    public static SyntheticImage create(Path dir, String name, long sizeMib, long slotDataMib, boolean identityDir, long seed)
            throws IOException {
        Path image = dir.resolve(name + ".img");
        long size = sizeMib * MIB;
        long bootStart = 4 * MIB;
        long bootSize = 16 * MIB;
        long slotStart = bootStart + bootSize;
        long slotSize = (sizeMib - 28) / 2 * MIB;
        long dataStart = slotStart + 2 * slotSize;
        PartitionTable table = new PartitionTable(0x1234abcd, List.of(
                new MbrPartition(bootStart / 512, bootSize / 512, MbrPartition.TYPE_FAT32_LBA, true),
                new MbrPartition(slotStart / 512, slotSize / 512, MbrPartition.TYPE_FAT32_LBA, false),
                new MbrPartition((slotStart + slotSize) / 512, slotSize / 512, MbrPartition.TYPE_FAT32_LBA, false),
                new MbrPartition(dataStart / 512, (size - dataStart) / 512, MbrPartition.TYPE_LINUX, false)));
        List<ByteRange> mapped = new ArrayList<>();
        Random random = new Random(seed);
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ, StandardOpenOption.TRUNCATE_EXISTING)) {
            mapped.add(MbrWriter.write(table, ch));
            FatTree tree = new FatTree().addFile("boot.scr", "echo booting\n".getBytes())
                    .addFile("config.txt", "arm_64bit=1\n".getBytes());
            if (identityDir) {
                tree.addDirectory("identity");
            }
            FatWriteResult fat = new FatImageWriter(new FatVolumeSpec(bootSize, null, "BOOT", 0x1234, 1_700_000_000L,
                    bootStart / 512)).write(tree, ch, bootStart);
            mapped.addAll(fat.writtenRanges());
            byte[] data = new byte[(int) (slotDataMib * MIB)];
            random.nextBytes(data);
            ch.write(ByteBuffer.wrap(data), slotStart);
            mapped.add(new ByteRange(slotStart, data.length));
            ch.write(ByteBuffer.allocate((int) MIB), dataStart);
            mapped.add(new ByteRange(dataStart, MIB));
        }
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(size); // sparse: unmapped blocks stay holes, as bmaptool create expects
        }
        Path bmap = dir.resolve(name + ".img.bmap");
        new BmapWriter().write(image, new BlockMapBuilder().addAll(mapped).build(), bmap);
        return new SyntheticImage(image, bmap, ByteRange.merge(mapped), size, bootStart);
    }

    /** A file of {@code size} bytes filled with a repeating pattern, so untouched bytes can be recognised. */
    public static Path patternedTarget(Path file, long size) throws IOException {
        byte[] block = new byte[(int) MIB];
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) (0xA5 ^ (i % 251));
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (long at = 0; at < size; at += block.length) {
                ch.write(ByteBuffer.wrap(block, 0, (int) Math.min(block.length, size - at)), at);
            }
        }
        return file;
    }

    public static byte patternAt(long offset) {
        return (byte) (0xA5 ^ ((offset % MIB) % 251));
    }

    /** Whole 4 KiB blocks holding mapped bytes, as the bmap lists them. */
    public List<ByteRange> mappedBlocks() {
        List<ByteRange> out = new ArrayList<>();
        for (ByteRange r : mapped) {
            long from = r.offset() / 4096 * 4096;
            long to = Math.min(size, (r.end() + 4095) / 4096 * 4096);
            out.add(new ByteRange(from, to - from));
        }
        return ByteRange.merge(out);
    }

    public static byte[] read(Path file, long offset, int length) throws IOException {
        try (FileChannel ch = FileChannel.open(file)) {
            ByteBuffer b = ByteBuffer.allocate(length);
            while (b.hasRemaining() && ch.read(b, offset + b.position()) > 0) {
                // keep reading
            }
            return b.array();
        }
    }
}
