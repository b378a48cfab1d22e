package io.fleetkit.formats.fat;

import static io.fleetkit.formats.fat.FatImageWriterTest.pattern;
import static io.fleetkit.formats.fat.FatImageWriterTest.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.formats.testing.HostTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FatImageReaderTest {

    @TempDir
    Path tmp;

    @Test
    void readsAVolumeMadeByMkfsFatAndMtools() throws Exception {
        for (String fatBits : List.of("16", "32")) {
            Path img = tmp.resolve("mk" + fatBits + ".img");
            Files.deleteIfExists(img);
            HostTool.check("dosfstools", "mkfs.fat", "-C", "-F", fatBits, "-n", "MKFS", "-i", "0badcafe",
                    img.toString(), String.valueOf(80 * 1024));
            Path big = tmp.resolve("bcm2711-rpi-4-b.dtb");
            Files.write(big, pattern(123_457, 4));
            Path small = tmp.resolve("Config.txt");
            Files.write(small, text("arm_64bit=1\n"));
            HostTool.check("mtools", "mmd", "-i", img.toString(), "::/overlays", "::/overlays/deeper");
            HostTool.check("mtools", "mcopy", "-i", img.toString(), big.toString(), "::/overlays/deeper/");
            HostTool.check("mtools", "mcopy", "-i", img.toString(), small.toString(), "::/");

            try (FatImageReader reader = new FatImageReader(img)) {
                assertEquals(fatBits.equals("16") ? FatType.FAT16 : FatType.FAT32, reader.geometry().type());
                assertEquals("MKFS", reader.label());
                assertEquals(0x0badcafe, reader.volumeId());
                assertEquals(List.of("overlays", "Config.txt"),
                        reader.list("/").stream().map(FatFileInfo::name).toList());
                assertArrayEquals(pattern(123_457, 4), reader.read("/overlays/deeper/bcm2711-rpi-4-b.dtb"));
                assertArrayEquals(text("arm_64bit=1\n"), reader.read("config.TXT"));
                FatFileInfo info = reader.find("/overlays/deeper/BCM271~1.DTB").orElseThrow();
                assertEquals("/overlays/deeper/bcm2711-rpi-4-b.dtb", info.path());
                assertTrue(reader.find("/nope").isEmpty());
            }
        }
    }

    @Test
    void picksTheClusterSizesMkfsFatPicks() throws Exception {
        long[] mebibytes = {16, 64, 128, 256, 300, 511, 600, 2048};
        for (long mib : mebibytes) {
            Path img = tmp.resolve("c" + mib + ".img");
            HostTool.check("dosfstools", "mkfs.fat", "-C", img.toString(), String.valueOf(mib * 1024));
            try (FatImageReader reader = new FatImageReader(img)) {
                FatGeometry ours = FatGeometry.choose(mib << 20, null, 0, 0);
                assertEquals(reader.geometry().type(), ours.type(), mib + " MiB");
                assertEquals(reader.geometry().clusterBytes(), ours.clusterBytes(), mib + " MiB");
            }
            Files.delete(img);
        }
    }
}
