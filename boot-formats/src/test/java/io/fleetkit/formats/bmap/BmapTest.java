package io.fleetkit.formats.bmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.formats.disk.ByteRange;
import io.fleetkit.formats.fat.FatImageWriter;
import io.fleetkit.formats.fat.FatTree;
import io.fleetkit.formats.fat.FatVolumeSpec;
import io.fleetkit.formats.mbr.MbrPartition;
import io.fleetkit.formats.mbr.MbrWriter;
import io.fleetkit.formats.mbr.PartitionTable;
import io.fleetkit.formats.testing.HostTool;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BmapTest {

    static final long MIB = 1L << 20;

    @TempDir
    Path tmp;

    /** A 64 MiB disk: MBR and one FAT partition at 4 MiB; returns the ranges the writers reported. */
    private List<ByteRange> buildDisk(Path disk) throws Exception {
        List<ByteRange> written = new ArrayList<>();
        byte[] kernel = new byte[300_000];
        for (int i = 0; i < kernel.length; i++) {
            kernel[i] = (byte) (i * 31 + (i >> 9));
        }
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(64 * MIB);
        }
        try (FileChannel ch = FileChannel.open(disk, StandardOpenOption.WRITE)) {
            long start = PartitionTable.alignUpLba(1);
            long sectors = 32 * MIB / 512;
            written.add(MbrWriter.write(new PartitionTable(0x1234, List.of(
                    new MbrPartition(start, sectors, MbrPartition.TYPE_FAT32_LBA, true))), ch));
            FatTree tree = new FatTree().addFile("Image", kernel).addFile("boot.scr", "boot".getBytes(StandardCharsets.UTF_8));
            written.addAll(new FatImageWriter(new FatVolumeSpec(32 * MIB, null, "BOOT", 42, 1_767_225_600L, start))
                    .write(tree, ch, start * 512).writtenRanges());
        }
        return written;
    }

    @Test
    void bmaptoolCopiesWithOurBmap() throws Exception {
        Path disk = tmp.resolve("disk.img");
        List<BlockRange> blocks = new BlockMapBuilder().addAll(buildDisk(disk)).build();
        Path bmapFile = tmp.resolve("disk.bmap");
        Bmap bmap = new BmapWriter().write(disk, blocks, bmapFile);
        assertTrue(bmap.mappedBlocksCount() < bmap.blocksCount() / 10, "mostly holes: " + bmap);

        Path dest = tmp.resolve("dest.img");
        HostTool.Result r = HostTool.run("bmap-tools", "bmaptool", "copy", "--bmap", bmapFile.toString(),
                disk.toString(), dest.toString());
        assertEquals(0, r.exit(), r.out() + r.stderr());
        assertEquals(-1, Files.mismatch(disk, dest), "copy equals the image");
        assertEquals(bmap, BmapReader.read(bmapFile));
    }

    @Test
    void bmaptoolRejectsAnImageChangedInsideAMappedRange() throws Exception {
        Path disk = tmp.resolve("disk.img");
        List<BlockRange> blocks = new BlockMapBuilder().addAll(buildDisk(disk)).build();
        Path bmapFile = tmp.resolve("disk.bmap");
        new BmapWriter().write(disk, blocks, bmapFile);
        try (FileChannel ch = FileChannel.open(disk, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {1}), blocks.get(blocks.size() - 1).first() * 4096 + 7);
        }
        HostTool.Result r = HostTool.run("bmap-tools", "bmaptool", "copy", "--bmap", bmapFile.toString(),
                disk.toString(), tmp.resolve("dest.img").toString());
        assertNotEquals(0, r.exit(), "bmaptool must notice the changed block");
    }

    @Test
    void readsAndVerifiesABmapMadeByBmaptoolCreate() throws Exception {
        Path img = tmp.resolve("b.img");
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            f.setLength(10 * MIB + 100);
            f.seek(4096);
            f.write("hello".getBytes(StandardCharsets.UTF_8));
            f.seek(100 * 4096);
            f.write(new byte[3 * 4096 - 5]);
            f.seek(100 * 4096);
            f.write(7);
        }
        Path bmapFile = tmp.resolve("b.bmap");
        HostTool.Result r = HostTool.run("bmap-tools", "bmaptool", "create", "-o", bmapFile.toString(), img.toString());
        assertEquals(0, r.exit(), r.stderr());
        Bmap theirs = BmapReader.read(bmapFile);
        assertEquals("2.0", theirs.version());
        assertEquals(10 * MIB + 100, theirs.imageSize());
        assertEquals(2561, theirs.blocksCount());
        assertEquals(List.of(1L, 100L), theirs.ranges().stream().map(BmapRange::first).toList());
        assertEquals(102, theirs.ranges().get(1).last());

        Bmap ours = new BmapWriter().create(img, List.of(new BlockRange(1, 1), new BlockRange(100, 102)), 4096);
        assertEquals(theirs.ranges(), ours.ranges(), "same checksums as bmaptool");

        String text = Files.readString(bmapFile).replace("<ImageSize> " + (10 * MIB + 100), "<ImageSize> " + (10 * MIB + 99));
        Files.writeString(bmapFile, text);
        assertEquals("image.bmap-checksum", assertThrows(FleetkitException.class, () -> BmapReader.read(bmapFile)).code());
    }

    @Test
    void readsAVersionOneThreeBmapWithSha1() {
        String body = "<?xml version=\"1.0\" ?>\n<bmap version=\"1.3\">\n<ImageSize> 8192 </ImageSize>\n"
                + "<BlockSize> 4096 </BlockSize>\n<BlocksCount> 2 </BlocksCount>\n<MappedBlocksCount> 1 </MappedBlocksCount>\n"
                + "<BmapFileSHA1> %s </BmapFileSHA1>\n<BlockMap>\n<Range sha1=\"abc\"> 1 </Range>\n</BlockMap>\n</bmap>\n";
        String zeroed = String.format(body, "0".repeat(40));
        String sum = BmapWriter.hex(BmapWriter.digest("SHA-1").digest(zeroed.getBytes(StandardCharsets.UTF_8)));
        Bmap b = BmapReader.parse(String.format(body, sum).getBytes(StandardCharsets.UTF_8), "v13.bmap");
        assertEquals("sha1", b.checksumType());
        assertEquals(List.of(new BmapRange(1, 1, "abc")), b.ranges());
    }

    @Test
    void mergesRangesIntoBlocksAndDropsZeroBlocks() throws Exception {
        BlockMapBuilder builder = new BlockMapBuilder()
                .add(new ByteRange(0, 512)).add(new ByteRange(4000, 200)).add(new ByteRange(3 * 4096, 1))
                .add(new ByteRange(5 * 4096, 3 * 4096));
        assertEquals(List.of(new BlockRange(0, 1), new BlockRange(3, 3), new BlockRange(5, 7)), builder.build());

        Path img = tmp.resolve("z.img");
        byte[] data = new byte[8 * 4096];
        data[10] = 1;
        data[5 * 4096 + 1] = 1;
        data[7 * 4096] = 1;
        Files.write(img, data);
        assertEquals(List.of(new BlockRange(0, 0), new BlockRange(5, 5), new BlockRange(7, 7)),
                builder.buildWithoutZeroBlocks(img));
    }

    @Test
    void oldBmapRangesWithoutChecksumsStayNull() {
        String xml = "<bmap version=\"1.0\"><ImageSize>4096</ImageSize><BlockSize>4096</BlockSize>"
                + "<BlocksCount>1</BlocksCount><MappedBlocksCount>1</MappedBlocksCount><BlockMap><Range>0</Range>"
                + "</BlockMap></bmap>";
        assertNull(BmapReader.parse(xml.getBytes(StandardCharsets.UTF_8), "old").ranges().get(0).checksum());
    }
}
