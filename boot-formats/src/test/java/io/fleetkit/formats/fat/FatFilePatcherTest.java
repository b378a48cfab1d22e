package io.fleetkit.formats.fat;

import static io.fleetkit.formats.fat.FatImageWriterTest.EPOCH;
import static io.fleetkit.formats.fat.FatImageWriterTest.pattern;
import static io.fleetkit.formats.fat.FatImageWriterTest.spec;
import static io.fleetkit.formats.fat.FatImageWriterTest.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.formats.disk.ByteRange;
import io.fleetkit.formats.testing.HostTool;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FatFilePatcherTest {

    @TempDir
    Path tmp;

    private FatPatchResult patch(Path img, long offset, String path, byte[] content) throws Exception {
        try (FileChannel ch = FileChannel.open(img, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return new FatFilePatcher(ch, offset).put(path, content, EPOCH + 3600);
        }
    }

    /** Every byte outside the reported ranges is unchanged. */
    private static void assertOnlyRangesChanged(byte[] before, byte[] after, long base, List<ByteRange> ranges) {
        byte[] masked = before.clone();
        for (ByteRange r : ranges) {
            System.arraycopy(after, (int) (r.offset() - base), masked, (int) (r.offset() - base), (int) r.length());
        }
        assertArrayEquals(after, masked, "bytes changed outside the reported ranges");
    }

    @Test
    void replacesAndAddsFilesSoFsckAndMtoolsAgree() throws Exception {
        for (FatType type : FatType.values()) {
            Path img = tmp.resolve("p-" + type + ".img");
            long size = type == FatType.FAT16 ? 32L << 20 : 300L << 20;
            new FatImageWriter(spec(size, type)).write(FatImageWriterTest.sampleTree()
                    .addFile("identity/device.json", text("{\"id\":\"unset\"}")), img);
            byte[] before = Files.readAllBytes(img);

            byte[] identity = pattern(9000, 9);
            FatPatchResult replaced = patch(img, 0, "identity/device.json", identity);
            FatPatchResult added = patch(img, 0, "identity/Device Certificate.pem", text("-----BEGIN-----"));
            FatPatchResult root = patch(img, 0, "SERIAL.TXT", text("0001"));
            assertFalse(replaced.created());
            assertTrue(added.created());
            byte[] after = Files.readAllBytes(img);
            List<ByteRange> all = new ArrayList<>(replaced.changedRanges());
            all.addAll(added.changedRanges());
            all.addAll(root.changedRanges());
            assertOnlyRangesChanged(before, after, 0, all);

            FatChecks.fsckClean(img);
            FatChecks.assertMcopy(img, "/identity/device.json", identity);
            FatChecks.assertMcopy(img, "/identity/Device Certificate.pem", text("-----BEGIN-----"));
            FatChecks.assertMcopy(img, "/SERIAL.TXT", text("0001"));
            FatChecks.assertMcopy(img, "/Image", pattern(70_000, 6));
            FatChecks.assertMcopy(img, "/overlays/a.dtbo", pattern(5000, 5));

            FatPatchResult shrunk = patch(img, 0, "identity/device.json", text("{}"));
            assertFalse(shrunk.created());
            FatChecks.fsckClean(img);
            FatChecks.assertMcopy(img, "/identity/device.json", text("{}"));
            try (FatImageReader reader = new FatImageReader(img)) {
                assertArrayEquals(text("{}"), reader.read("/IDENTITY/DEVICE.JSON"));
            }
        }
    }

    @Test
    void growsAFullDirectoryByAnotherCluster() throws Exception {
        Path img = tmp.resolve("grow.img");
        FatTree tree = new FatTree();
        for (int i = 0; i < 63; i++) {
            tree.addFile("dir/F" + i, text("x"));
        }
        new FatImageWriter(spec(16L << 20, FatType.FAT16)).write(tree, img);
        for (int i = 0; i < 70; i++) {
            patch(img, 0, "dir/added-file-" + i + ".txt", text("n" + i));
        }
        FatChecks.fsckClean(img);
        FatChecks.assertMcopy(img, "/dir/added-file-69.txt", text("n69"));
        assertEquals(133, FatChecks.mdirNames(img, "/dir").size());
    }

    @Test
    void patchesAVolumeMadeByMkfsFatInsideADiskImage() throws Exception {
        Path vol = tmp.resolve("mkfs.img");
        HostTool.check("dosfstools", "mkfs.fat", "-C", "-F", "32", "-n", "BOOT", vol.toString(), String.valueOf(100 * 1024));
        Path src = tmp.resolve("cmdline.txt");
        Files.write(src, text("console=ttyAMA0"));
        HostTool.check("mtools", "mcopy", "-i", vol.toString(), src.toString(), "::/cmdline.txt");
        Path disk = tmp.resolve("disk.img");
        long offset = 4L << 20;
        try (FileChannel out = FileChannel.open(disk, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            out.write(java.nio.ByteBuffer.wrap(Files.readAllBytes(vol)), offset);
        }
        FatPatchResult r = patch(disk, offset, "cmdline.txt", text("console=ttyAMA0 quiet"));
        assertTrue(r.changedRanges().stream().allMatch(x -> x.offset() >= offset));
        byte[] patched = java.util.Arrays.copyOfRange(Files.readAllBytes(disk), (int) offset,
                (int) offset + (100 << 20));
        Files.write(vol, patched);
        FatChecks.fsckClean(vol);
        FatChecks.assertMcopy(vol, "/cmdline.txt", text("console=ttyAMA0 quiet"));
    }

    @Test
    void refusesAPatchThatDoesNotFit() throws Exception {
        Path img = tmp.resolve("small.img");
        FatWriteResult w = new FatImageWriter(spec(8L << 20, FatType.FAT16)).write(new FatTree(), img);
        long tooBig = w.geometry().dataBytes() + 1;
        FleetkitException e = assertThrows(FleetkitException.class,
                () -> patch(img, 0, "big.bin", new byte[(int) tooBig]));
        assertEquals("image.fat-full", e.code());
        FleetkitException noDir = assertThrows(FleetkitException.class, () -> patch(img, 0, "no/such.txt", text("x")));
        assertEquals("image.fat-no-dir", noDir.code());
    }
}
