package io.fleetkit.formats.fat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.formats.testing.HostTool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FatImageWriterTest {

    static final long EPOCH = 1_767_225_600L; // 2026-01-01T00:00:00Z

    @TempDir
    Path tmp;

    static FatVolumeSpec spec(long size, FatType type) {
        return new FatVolumeSpec(size, type, "FLEETBOOT", 0x1234ABCD, EPOCH, 8192);
    }

    static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Deterministic, non-repeating-looking bytes so misplaced clusters show. */
    static byte[] pattern(int size, int seed) {
        byte[] b = new byte[size];
        int x = seed * 2654435 + 1;
        for (int i = 0; i < size; i++) {
            x = x * 1103515245 + 12345;
            b[i] = (byte) (x >>> 16);
        }
        return b;
    }

    @Test
    void writesFat16VolumeThatFsckAndMtoolsAccept() throws Exception {
        byte[] kernel = pattern(3_000_001, 1);
        FatTree tree = new FatTree()
                .addFile("config.txt", text("arm_64bit=1\nkernel=kernel8.img\n"))
                .addFile("kernel8.img", kernel)
                .addFile("overlays/vc4-kms-v3d.dtbo", pattern(2345, 2))
                .addFile("empty", new byte[0])
                .addDirectory("emptydir");
        Path img = tmp.resolve("fat16.img");
        FatWriteResult result = new FatImageWriter(spec(64L << 20, null)).write(tree, img);

        assertEquals(FatType.FAT16, result.geometry().type());
        assertEquals(64L << 20, Files.size(img));
        FatChecks.fsckClean(img);
        assertEquals("FLEETBOOT", HostTool.check("dosfstools", "fatlabel", img.toString()).out().strip());
        FatChecks.assertNames(img, "/", List.of("config.txt", "kernel8.img", "overlays", "empty", "emptydir"));
        FatChecks.assertMcopy(img, "/kernel8.img", kernel);
        FatChecks.assertMcopy(img, "/config.txt", text("arm_64bit=1\nkernel=kernel8.img\n"));
        FatChecks.assertMcopy(img, "/overlays/vc4-kms-v3d.dtbo", pattern(2345, 2));
        FatChecks.assertMcopy(img, "/empty", new byte[0]);
        FatChecks.assertNames(img, "/emptydir", List.of());
    }

    @Test
    void alignedFilesStartOnBoundariesWhateverPrecedesThemAndTheVolumeStaysClean() throws Exception {
        int align = 256 * 1024;
        byte[] kernel = pattern(700_001, 3);
        byte[] initrd = pattern(300_000, 4);
        for (int before : new int[] {100, 90_000}) {
            FatTree tree = new FatTree()
                    .addFile("config.txt", pattern(before, 5))
                    .addFile("vmlinuz", kernel)
                    .addFile("small.dtb", pattern(5000, 6))
                    .addFile("initrd.img", initrd);
            Path img = tmp.resolve("aligned-" + before + ".img");
            FatWriteResult result = new FatImageWriter(spec(32L << 20, null)).alignFilesTo(align).write(tree, img);
            FatChecks.fsckClean(img);
            FatChecks.assertMcopy(img, "/vmlinuz", kernel);
            FatChecks.assertMcopy(img, "/initrd.img", initrd);
            FatImageReader reader = new FatImageReader(img);
            for (String big : List.of("/vmlinuz", "/initrd.img")) {
                long at = result.geometry().clusterOffset(reader.find(big).orElseThrow().firstCluster());
                assertEquals(0, at % align, big + " at " + at + " with " + before + " bytes before it");
            }
            long small = result.geometry().clusterOffset(reader.find("/small.dtb").orElseThrow().firstCluster());
            assertTrue(small % align != 0, "a file under the alignment packs where it falls");
            assertEquals(reader.freeClusters(), result.freeClusters(), "the gaps count as free");
        }
        assertThrows(IllegalArgumentException.class, () -> new FatImageWriter(spec(32L << 20, null)).alignFilesTo(3000));
    }

    @Test
    void writesFat32VolumeWithFsInfoAndBackupBootSector() throws Exception {
        byte[] big = pattern(5_000_000, 3);
        FatTree tree = new FatTree().addFile("boot/Image", big).addFile("slot.json", text("{}"));
        Path img = tmp.resolve("fat32.img");
        FatWriteResult result = new FatImageWriter(spec(300L << 20, null)).write(tree, img);
        assertEquals(FatType.FAT16, result.geometry().type(), "300 MiB is FAT16 by default, like mkfs.fat");

        FatWriteResult fat32 = new FatImageWriter(spec(300L << 20, FatType.FAT32)).write(tree, img);
        assertEquals(FatType.FAT32, fat32.geometry().type());
        assertTrue(fat32.geometry().clusterCount() >= 65525);
        FatChecks.fsckClean(img);
        FatChecks.assertMcopy(img, "/boot/Image", big);
        FatChecks.assertMcopy(img, "/slot.json", text("{}"));
        assertEquals(fat32.freeClusters(), new FatImageReader(img).freeClusters(), "FSInfo free count");
    }

    @Test
    void choosesFat32FromHalfAGibibyteLikeMkfsFat() {
        FatGeometry g = FatGeometry.choose(600L << 20, null, 0, 0);
        assertEquals(FatType.FAT32, g.type());
        assertEquals(4096, g.clusterBytes());
        assertEquals(FatType.FAT16, FatGeometry.choose(64L << 20, null, 0, 0).type());
        assertEquals(2048, FatGeometry.choose(64L << 20, null, 0, 0).clusterBytes());
    }

    @Test
    void storesLongNamesWithUniqueShortNames() throws Exception {
        FatTree tree = new FatTree();
        List<String> names = List.of("kernel8-6.1.0-rpi.img", "kernel8-6.1.0-rpi.img.bak", "kernel8-6.1.0-old.img",
                "bcm2711-rpi-4-b.dtb", "bcm2711-rpi-cm4.dtb", "Mixed Case Name.TXT", "README", "readme.md",
                "a.b.c.d", "über-straße.txt", "x".repeat(200), "ca$h(1)", "Kernel.img", "UPPER.TXT",
                "lower.txt", "loweR.Txt2");
        for (int i = 0; i < names.size(); i++) {
            tree.addFile("dir/" + names.get(i), pattern(100 + i, i));
        }
        Path img = tmp.resolve("names.img");
        new FatImageWriter(spec(32L << 20, null)).write(tree, img);
        FatChecks.fsckClean(img);
        FatChecks.assertNames(img, "/dir", names);
        for (int i = 0; i < names.size(); i++) {
            FatChecks.assertMcopy(img, "/dir/" + names.get(i), pattern(100 + i, i));
        }
        String shortNames = HostTool.check("mtools", "mdir", "-i", img.toString(), "::/dir").out();
        assertTrue(shortNames.contains("KERNEL~1 IMG"), shortNames);
        assertTrue(shortNames.contains("KERNEL~2 IMG"), shortNames);
    }

    @Test
    void refusesNamesThatDifferOnlyInCase() {
        FatTree tree = new FatTree().addFile("boot/Config.txt", text("a"));
        FleetkitException e = assertThrows(FleetkitException.class,
                () -> tree.addFile("BOOT/config.TXT", text("b")));
        assertEquals("image.fat-name-clash", e.code());
    }

    @Test
    void holdsThreeHundredFilesInOneDirectory() throws Exception {
        FatTree tree = new FatTree();
        List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String name = "overlay-number-" + i + ".dtbo";
            names.add(name);
            tree.addFile("overlays/" + name, pattern(i, i));
        }
        Path img = tmp.resolve("many.img");
        new FatImageWriter(spec(64L << 20, null)).write(tree, img);
        FatChecks.fsckClean(img);
        FatChecks.assertNames(img, "/overlays", names);
        FatChecks.assertMcopy(img, "/overlays/overlay-number-299.dtbo", pattern(299, 299));
        FatChecks.assertMcopy(img, "/overlays/overlay-number-0.dtbo", new byte[0]);
    }

    @Test
    void nestsDirectoriesEightDeep() throws Exception {
        String deep = "one/two/three/four/five/six/seven/eight";
        FatTree tree = new FatTree().addFile(deep + "/leaf.txt", text("deep")).addFile("one/top.txt", text("top"));
        Path img = tmp.resolve("deep.img");
        new FatImageWriter(spec(300L << 20, FatType.FAT32)).write(tree, img);
        FatChecks.fsckClean(img);
        FatChecks.assertMcopy(img, "/" + deep + "/leaf.txt", text("deep"));
        FatChecks.assertNames(img, "/one/two/three/four/five/six/seven", List.of("eight"));
        FatChecks.assertNames(img, "/one", List.of("two", "top.txt"));
    }

    @Test
    void fillsTheVolumeToTheLastClusterAndRefusesOneByteMore() throws Exception {
        for (FatType type : FatType.values()) {
            long size = type == FatType.FAT16 ? 16L << 20 : 40L << 20;
            FatGeometry g = FatGeometry.choose(size, type, 0, 0);
            long rootClusters = type == FatType.FAT32 ? 1 : 0;
            long fill = (g.clusterCount() - rootClusters) * g.clusterBytes();
            Path img = tmp.resolve("full-" + type + ".img");
            FatContent zeros = FatContent.of(fill, () -> new java.io.ByteArrayInputStream(new byte[(int) fill]));
            FatWriteResult r = new FatImageWriter(spec(size, type)).write(new FatTree().addFile("fill.bin", zeros), img);
            assertEquals(0, r.freeClusters());
            FatChecks.fsckClean(img);
            assertEquals(fill, FatChecks.mcopy(img, "/fill.bin").length);

            FatContent more = FatContent.of(fill + 1, () -> new java.io.ByteArrayInputStream(new byte[(int) fill + 1]));
            FleetkitException e = assertThrows(FleetkitException.class, () -> new FatImageWriter(spec(size, type))
                    .write(new FatTree().addFile("fill.bin", more), tmp.resolve("over.img")));
            assertEquals("image.fat-full", e.code());
            assertTrue(e.getMessage().contains("short by 1 clusters (" + g.clusterBytes() + " bytes)"), e.getMessage());
        }
    }

    @Test
    void writesAnEmptyVolume() throws Exception {
        Path img = tmp.resolve("empty.img");
        FatWriteResult r = new FatImageWriter(new FatVolumeSpec(8L << 20, null, null, 7, EPOCH, 0))
                .write(new FatTree(), img);
        FatChecks.fsckClean(img);
        FatChecks.assertNames(img, "/", List.of());
        assertEquals(r.geometry().clusterCount(), r.freeClusters());
    }

    @Test
    void sameTreeGivesIdenticalBytes() throws Exception {
        Path a = tmp.resolve("a.img");
        Path b = tmp.resolve("b.img");
        new FatImageWriter(spec(300L << 20, FatType.FAT32)).write(sampleTree(), a);
        new FatImageWriter(spec(300L << 20, FatType.FAT32)).write(sampleTree(), b);
        assertEquals(-1, Files.mismatch(a, b));
    }

    @Test
    void writesIntoAChannelAtAPartitionOffsetAndReportsWrittenRanges() throws Exception {
        Path disk = tmp.resolve("disk.img");
        long offset = 4L << 20;
        FatWriteResult r;
        try (var ch = java.nio.channels.FileChannel.open(disk, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE)) {
            r = new FatImageWriter(spec(32L << 20, null)).write(sampleTree(), ch, offset);
        }
        assertEquals(offset, r.writtenRanges().get(0).offset());
        byte[] whole = Files.readAllBytes(disk);
        byte[] part = java.util.Arrays.copyOfRange(whole, (int) offset, (int) offset + (32 << 20));
        Path alone = tmp.resolve("alone.img");
        Files.write(alone, part);
        new FatImageWriter(spec(32L << 20, null)).write(sampleTree(), tmp.resolve("ref.img"));
        assertEquals(-1, Files.mismatch(alone, tmp.resolve("ref.img")));
        FatChecks.fsckClean(alone);
        long covered = r.writtenRanges().stream().mapToLong(io.fleetkit.formats.disk.ByteRange::length).sum();
        assertTrue(covered < 1 << 20, "only metadata and file clusters are written: " + covered);
    }

    static FatTree sampleTree() {
        return new FatTree().addFile("boot.scr", text("echo hi")).addFile("overlays/a.dtbo", pattern(5000, 5))
                .addFile("Image", pattern(70_000, 6)).addDirectory("empty");
    }

    @Test
    void growsTheFat16RootDirectoryPastFiveHundredTwelveEntries() throws Exception {
        FatTree tree = new FatTree();
        for (int i = 0; i < 600; i++) {
            tree.addFile("F" + i + ".BIN", pattern(3, i));
        }
        Path img = tmp.resolve("root.img");
        FatWriteResult r = new FatImageWriter(spec(32L << 20, FatType.FAT16)).write(tree, img);
        assertEquals(608, r.geometry().rootEntries());
        FatChecks.fsckClean(img);
        assertEquals(600, FatChecks.mdirNames(img, "/").size());
        FatChecks.assertMcopy(img, "/F599.BIN", pattern(3, 599));
    }

    @Test
    void streamsLargeFilesFromDisk() throws Exception {
        Path kernel = tmp.resolve("vmlinuz");
        byte[] data = pattern(30 << 20, 7);
        Files.write(kernel, data);
        FatTree tree = new FatTree().addFile("vmlinuz", kernel);
        Path img = tmp.resolve("stream.img");
        new FatImageWriter(spec(256L << 20, FatType.FAT32)).write(tree, img);
        FatChecks.fsckClean(img);
        FatChecks.assertMcopy(img, "/vmlinuz", data);
        try (FatImageReader reader = new FatImageReader(img)) {
            FatFileInfo info = reader.find("vmlinuz").orElseThrow();
            List<Long> chain = reader.chain(info.firstCluster());
            assertEquals(chain.get(0) + chain.size() - 1, chain.get(chain.size() - 1), "file is contiguous");
        }
    }

    @Test
    void refusesNamesFatCannotStore() {
        for (String bad : List.of("a:b", "what?", "trailing.", "x\\y", "tab\tname")) {
            FleetkitException e = assertThrows(FleetkitException.class, () -> new FatTree().addFile(bad, text("x")));
            assertEquals("image.fat-bad-name", e.code(), bad);
        }
        assertEquals("image.fat-bad-label", assertThrows(FleetkitException.class,
                () -> new FatVolumeSpec(1 << 24, null, "label-too-long", 0, 0, 0)).code());
    }
}
