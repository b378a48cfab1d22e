package io.fleetkit.ota.boot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The read-only FAT walk and in-place rewrite, against volumes made by mkfs.vfat and mtools. */
class FatFileLocatorTest {

    @TempDir
    Path dir;

    private static byte[] random(int n, int seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private void findsAndRewritesFragmentedFile(int fatBits, int bootMib) throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int i = 0; i < 6; i++) {
            files.put("gap" + i + ".bin", random(700, i));
        }
        files.put("identity/device.json", "{\"id\":\"gw-00001\"}".getBytes());
        TestDisk disk = TestDisk.create(dir, bootMib, fatBits, 2, files);
        byte[] original = random(300_000, 99);
        disk.withMtools(p1 -> {
            HostTool.ok(TestDisk.MTOOLS, "mdel", "-i", p1.toString(), "::/gap1.bin", "::/gap3.bin");
            Path src = Files.write(dir.resolve("long"), original);
            HostTool.ok(TestDisk.MTOOLS, "mcopy", "-i", p1.toString(), src.toString(), "::/A Long File Name.bin");
        });
        try (FileChannel ch = FileChannel.open(disk.image, StandardOpenOption.READ)) {
            FatFileLocator fat = new FatFileLocator(ch, disk.bootOffset);
            assertEquals(fatBits, fat.fatBits());
            FatFileLocator.FatFile f = fat.find("a long file name.BIN").orElseThrow();
            if (fatBits != 32) {
                // on FAT32 mtools follows the FSInfo next-free hint past the gaps
                assertTrue(f.extents().size() >= 3, "mtools filled the two gaps first: " + f.extents());
            }
            assertArrayEquals(original, fat.read(f));
            assertArrayEquals("{\"id\":\"gw-00001\"}".getBytes(), fat.readFile("identity/device.json").orElseThrow());
            assertArrayEquals(files.get("gap0.bin"), fat.readFile("GAP0.BIN").orElseThrow());
            assertTrue(fat.find("gap1.bin").isEmpty());
            assertTrue(fat.find("identity").isEmpty(), "a directory is not a file");
        }
        byte[] replacement = random(300_000, 7);
        disk.bootFiles().overwrite("A Long File Name.bin", replacement);
        assertArrayEquals(replacement, disk.mcopyOut("A Long File Name.bin"));
        disk.fsckClean();
        assertThrows(io.fleetkit.events.FleetkitException.class, () -> disk.bootFiles().overwrite("A Long File Name.bin", new byte[10]));
    }

    @Test
    void findsAndRewritesFragmentedFileOnFat12() throws Exception {
        findsAndRewritesFragmentedFile(12, 2);
    }

    @Test
    void findsAndRewritesFragmentedFileOnFat16() throws Exception {
        findsAndRewritesFragmentedFile(16, 16);
    }

    @Test
    void findsAndRewritesFragmentedFileOnFat32() throws Exception {
        findsAndRewritesFragmentedFile(32, 40);
    }

    @Test
    void readsPartitionTableWrittenBySfdisk() throws Exception {
        TestDisk disk = TestDisk.create(dir, 4, 16, 3, Map.of());
        MbrPartitions mbr = MbrPartitions.read(disk.image);
        assertEquals(new MbrPartitions.Partition(1, 0x0c, TestDisk.MIB, 4 * TestDisk.MIB), mbr.require(1, "boot"));
        assertEquals(new MbrPartitions.Partition(2, 0x0c, 5 * TestDisk.MIB, 3 * TestDisk.MIB), mbr.require(2, "slot A"));
        assertEquals(new MbrPartitions.Partition(3, 0x0c, 8 * TestDisk.MIB, 3 * TestDisk.MIB), mbr.require(3, "slot B"));
        assertEquals(0x83, mbr.require(4, "data").type());
    }
}
