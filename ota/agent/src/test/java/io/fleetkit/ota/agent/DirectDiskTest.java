package io.fleetkit.ota.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectDiskTest {

    @TempDir
    Path dir;

    @Test
    void writesAlignedChunksUnalignedTailsAndOddOffsetsExactlyWhereAsked() throws IOException {
        Path disk = disk(dir, 3 << 20);
        byte[] chunk = random(1 << 20, 1);
        byte[] tail = random(10_000, 2); // a last chunk that ends inside a 4 KiB block
        byte[] odd = random(5_000, 3);   // a partition that does not start on 4 KiB
        try (DirectDisk d = DirectDisk.forWriting(disk)) {
            assertTrue(d.direct(), dir + " is on " + Files.getFileStore(dir).type() + ", which should take O_DIRECT");
            d.write(chunk, chunk.length, 0);
            d.write(tail, tail.length, 1 << 20);
            d.write(odd, odd.length, (2 << 20) + 511);
            d.force();
        }
        byte[] all = Files.readAllBytes(disk);
        assertArrayEquals(chunk, Arrays.copyOfRange(all, 0, 1 << 20));
        assertArrayEquals(tail, Arrays.copyOfRange(all, 1 << 20, (1 << 20) + tail.length));
        assertArrayEquals(new byte[511], Arrays.copyOfRange(all, 2 << 20, (2 << 20) + 511), "bytes before an odd offset untouched");
        assertArrayEquals(odd, Arrays.copyOfRange(all, (2 << 20) + 511, (2 << 20) + 511 + odd.length));
        assertEquals(0, all[(2 << 20) + 511 + odd.length], "bytes after a write untouched");

        try (DirectDisk d = DirectDisk.forReading(disk)) {
            byte[] back = new byte[odd.length];
            d.read((2 << 20) + 511, back, back.length);
            assertArrayEquals(odd, back);
            back = new byte[tail.length];
            d.read(1 << 20, back, back.length);
            assertArrayEquals(tail, back);
        }
    }

    @Test
    void readsUpToTheVeryEndOfADiskWhoseSizeIsNotAligned() throws IOException {
        Path disk = dir.resolve("odd.img");
        byte[] all = random((1 << 20) + 1234, 4);
        Files.write(disk, all);
        try (DirectDisk d = DirectDisk.forReading(disk)) {
            byte[] back = new byte[4000];
            d.read(all.length - back.length, back, back.length);
            assertArrayEquals(Arrays.copyOfRange(all, all.length - back.length, all.length), back);
            IOException e = assertThrows(IOException.class, () -> d.read(all.length - 100, new byte[200], 200));
            assertTrue(e.getMessage().contains("disk ends"), e.getMessage());
        }
    }

    @Test
    void throughThePageCacheWritesAndReadsTheSameBytes() throws IOException {
        // the path taken where the storage refuses O_DIRECT (tmpfs did before Linux 6.6, some FUSE file systems do)
        Path disk = disk(dir, 2 << 20);
        byte[] chunk = random(1 << 20, 5);
        try (DirectDisk d = DirectDisk.open(disk, StandardOpenOption.WRITE, false)) {
            assertFalse(d.direct());
            d.write(chunk, chunk.length, 4095);
            d.force();
        }
        try (DirectDisk d = DirectDisk.open(disk, StandardOpenOption.READ, false)) {
            assertFalse(d.direct());
            byte[] back = new byte[chunk.length];
            d.read(4095, back, back.length);
            assertArrayEquals(chunk, back);
            IOException e = assertThrows(IOException.class, () -> d.read((2 << 20) - 10, new byte[20], 20));
            assertTrue(e.getMessage().contains("disk ends"), e.getMessage());
        }
    }

    @Test
    void aMissingDiskFailsAtOpenNotLater() {
        assertThrows(java.nio.file.NoSuchFileException.class, () -> DirectDisk.forWriting(dir.resolve("nowhere.img")));
        assertThrows(java.nio.file.NoSuchFileException.class, () -> DirectDisk.forReading(dir.resolve("nowhere.img")));
    }

    private static Path disk(Path dir, long size) throws IOException {
        Path disk = dir.resolve("disk.img");
        try (var f = new java.io.RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(size);
        }
        return disk;
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }
}
