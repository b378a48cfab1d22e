package io.fleetkit.formats.fat;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.formats.disk.ByteRange;
import io.fleetkit.formats.testing.HostTool;
import io.fleetkit.formats.testing.TestDisk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The FAT walk on a partition of a whole disk and the in-place rewrite, against volumes made by mkfs.vfat and mtools. */
class FatFileInPlaceTest {

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
            FatImageReader fat = new FatImageReader(ch, disk.bootOffset);
            assertEquals(fatBits, fat.fatBits());
            FatFileInfo f = fat.find("a long file name.BIN").orElseThrow();
            List<ByteRange> extents = fat.dataRanges(f);
            if (fatBits != 32) {
                // on FAT32 mtools follows the FSInfo next-free hint past the gaps
                assertTrue(extents.size() >= 3, "mtools filled the two gaps first: " + extents);
            }
            assertArrayEquals(original, fat.read(f));
            assertArrayEquals("{\"id\":\"gw-00001\"}".getBytes(), fat.read("identity/device.json"));
            assertArrayEquals(files.get("gap0.bin"), fat.read("GAP0.BIN"));
            assertTrue(fat.find("gap1.bin").isEmpty());
        }
        assertTrue(disk.bootFiles().read("identity").isEmpty(), "a directory is not a file");
        byte[] replacement = random(300_000, 7);
        disk.bootFiles().overwrite("A Long File Name.bin", replacement);
        assertArrayEquals(replacement, disk.mcopyOut("A Long File Name.bin"));
        disk.fsckClean();
        assertThrows(FleetkitException.class, () -> disk.bootFiles().overwrite("A Long File Name.bin", new byte[10]));
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
}
