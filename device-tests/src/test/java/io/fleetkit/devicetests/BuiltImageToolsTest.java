package io.fleetkit.devicetests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.build.BuildResult;
import io.fleetkit.build.OutputFormat;
import io.fleetkit.formats.bmap.Bmap;
import io.fleetkit.formats.bmap.BmapRange;
import io.fleetkit.formats.bmap.BmapReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;

/** The built disk image as tools nobody here wrote see it: sfdisk, fsck.fat, mtools, mkimage, bmaptool. */
class BuiltImageToolsTest {

    private static final long MIB = 1 << 20;

    @Test
    void partitionTableIsTheDesignedAbLayout() throws Exception {
        Path img = Examples.build("qemu-arm64").path(OutputFormat.IMG);
        HostTool.Result dump = HostTool.run("fdisk", "sfdisk", "--dump", img.toString());
        assertEquals(0, dump.exit(), dump.output());
        // 32 MiB boot at 4 MiB, two 128 MiB slots, 64 MiB data (the example's layout), all 4 MiB aligned.
        assertTrue(dump.output().contains("img1 : start=        8192, size=       65536, type=c, bootable"), dump.output());
        assertTrue(dump.output().contains("img2 : start=       73728, size=      262144, type=e"), dump.output());
        assertTrue(dump.output().contains("img3 : start=      335872, size=      262144, type=e"), dump.output());
        assertTrue(dump.output().contains("img4 : start=      598016, size=      131072, type=83"), dump.output());
    }

    @Test
    void bootPartitionAndSlotAreCleanFatThatMtoolsAndMkimageRead() throws Exception {
        Path img = Examples.build("qemu-arm64").path(OutputFormat.IMG);
        Path dir = TestBuilds.ROOT.resolve("tools");
        Files.createDirectories(dir);
        Path p1 = extract(img, 4 * MIB, 32 * MIB, dir.resolve("p1.img"));
        Path p2 = extract(img, 36 * MIB, 128 * MIB, dir.resolve("p2.img"));
        for (Path fs : new Path[] {p1, p2}) {
            HostTool.Result fsck = HostTool.run("dosfstools", "fsck.fat", "-n", fs.toString());
            assertEquals(0, fsck.exit(), fsck.output());
        }
        HostTool.Result dir1 = HostTool.run("mtools", "mdir", "-b", "-i", p1.toString(), "::");
        assertTrue(dir1.output().contains("::/boot.scr") && dir1.output().contains("::/bootstate.0"), dir1.output());
        Path scr = dir.resolve("boot.scr");
        Files.deleteIfExists(scr);
        assertEquals(0, HostTool.run("mtools", "mcopy", "-i", p1.toString(), "::boot.scr", scr.toString()).exit());
        HostTool.Result mkimage = HostTool.run("u-boot-tools", "mkimage", "-l", scr.toString());
        assertEquals(0, mkimage.exit(), mkimage.output());
        assertTrue(mkimage.output().contains("Linux Script") && mkimage.output().contains("Image Name:   fleetkit A/B"), mkimage.output());
        HostTool.Result slot = HostTool.run("mtools", "mdir", "-b", "-i", p2.toString(), "::");
        for (String f : new String[] {"::/vmlinuz", "::/initrd.img", "::/boot.env", "::/slot.json"}) {
            assertTrue(slot.output().contains(f), f + " in " + slot.output());
        }
        // The slot partition holds exactly the .slot output at its start.
        byte[] slotFile = Files.readAllBytes(Examples.build("qemu-arm64").path(OutputFormat.SLOT));
        byte[] onDisk = new byte[slotFile.length];
        System.arraycopy(Files.readAllBytes(p2), 0, onDisk, 0, slotFile.length);
        assertArrayEquals(slotFile, onDisk);
    }

    @Test
    void bmaptoolCopiesTheImageWithOurBmapAndTheCopyMatchesEveryMappedRange() throws Exception {
        BuildResult built = Examples.build("qemu-arm64");
        Path img = built.path(OutputFormat.IMG);
        Path copy = TestBuilds.ROOT.resolve("tools/bmaptool-copy.img");
        Files.createDirectories(copy.getParent());
        Files.deleteIfExists(copy);
        HostTool.Result r = HostTool.run("bmap-tools", "bmaptool", "copy", "--bmap", built.path(OutputFormat.BMAP).toString(),
                img.toString(), copy.toString());
        assertEquals(0, r.exit(), r.output());
        Bmap bmap = BmapReader.read(built.path(OutputFormat.BMAP));
        assertTrue(bmap.mappedBlocksCount() < bmap.blocksCount() / 4, "most of the disk is unmapped: " + bmap);
        try (FileChannel a = FileChannel.open(img, StandardOpenOption.READ); FileChannel b = FileChannel.open(copy, StandardOpenOption.READ)) {
            for (BmapRange range : bmap.ranges()) {
                long off = range.first() * bmap.blockSize();
                int len = (int) ((range.last() - range.first() + 1) * bmap.blockSize());
                ByteBuffer x = ByteBuffer.allocate(len);
                ByteBuffer y = ByteBuffer.allocate(len);
                a.read(x, off);
                b.read(y, off);
                assertEquals(x.flip(), y.flip(), "range " + range.first() + "-" + range.last());
            }
        }
    }

    private static Path extract(Path img, long offset, long size, Path target) throws Exception {
        try (FileChannel in = FileChannel.open(img, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     StandardOpenOption.TRUNCATE_EXISTING)) {
            long done = 0;
            while (done < size) {
                done += in.transferTo(offset + done, size - done, out);
            }
        }
        return target;
    }
}
