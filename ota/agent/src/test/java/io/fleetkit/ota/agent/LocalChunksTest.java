package io.fleetkit.ota.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.ota.bundle.BundleReader;
import io.fleetkit.ota.bundle.SigningKey;
import io.fleetkit.ota.bundle.VerifiedManifest;
import io.fleetkit.testsupport.TestClock;
import java.io.ByteArrayInputStream;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A delta update: the chunks of the new slot that the running slot holds (at chunk-aligned offsets,
 * anywhere in it) are found, copied instead of asked for, and verified like downloaded ones.
 */
class LocalChunksTest {

    private static final int CHUNK = TestSlots.CHUNK;
    /** Where the running slot starts on the disk: not a multiple of the chunk size. */
    private static final long SLOT_START = 3 * 512;

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock(Instant.parse("2026-12-05T10:00:00Z"));
    private TestSlots.Bundle bundle;
    private VerifiedManifest verified;
    private Path disk;

    @BeforeEach
    void runningSlotHoldingSomeOfTheNewChunks() throws Exception {
        SigningKey key = TestSlots.newKey();
        bundle = TestSlots.bundle(TestSlots.release("2.0.0", 2000000), TestSlots.slotImage(dir.resolve("v2"), "2.0.0", 10L * CHUNK), key);
        verified = BundleReader.verify(BundleReader.readHeader(new ByteArrayInputStream(bundle.header())), List.of(key.publicKey()));
        // the running slot: random blocks, except new chunks 0, 1 and 2 where they belong and chunk 5 moved to block 7
        disk = dir.resolve("disk.img");
        Random random = new Random(1);
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            byte[] junk = new byte[(int) SLOT_START + 12 * CHUNK];
            random.nextBytes(junk);
            f.write(junk);
            for (int i : List.of(0, 1, 2)) {
                f.seek(SLOT_START + (long) i * CHUNK);
                f.write(bundle.chunk(i));
            }
            f.seek(SLOT_START + 7L * CHUNK);
            f.write(bundle.chunk(5));
        }
    }

    @Test
    void findsTheNewSlotsChunksAtAnyAlignedOffsetOfTheRunningSlotAndReadsThemBack() throws Exception {
        LocalChunks local = LocalChunks.index(disk, SLOT_START, 12L * CHUNK, verified.manifest());
        assertEquals(List.of(0, 1, 2, 5), IntStream.range(0, 10).filter(local::has).boxed().toList());
        assertEquals(4L * CHUNK, local.bytes());
        assertArrayEquals(bundle.chunk(5), local.read(5));
        assertNull(local.read(3), "not on the device");
    }

    @Test
    void readsNoFurtherThanTheNewSlotsSize() throws Exception {
        // block 7 lies inside the 10-chunk new slot's size: found; a copy at block 11 would not be read
        LocalChunks local = LocalChunks.index(disk, SLOT_START, 7L * CHUNK, verified.manifest());
        assertFalse(local.has(5), "the partition given ends before block 7");
        assertTrue(local.has(2));
    }

    @Test
    void findsAShorterLastChunkAtTheStartOfABlock() throws Exception {
        SigningKey key = TestSlots.newKey();
        TestSlots.Bundle odd = TestSlots.bundle(TestSlots.release("3.0.0", 3000000),
                TestSlots.slotImage(dir.resolve("v3"), "3.0.0", 9L * CHUNK + CHUNK / 2), key);
        VerifiedManifest v = BundleReader.verify(BundleReader.readHeader(new ByteArrayInputStream(odd.header())), List.of(key.publicKey()));
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) { // the tail, then other bytes, in block 4
            f.seek(SLOT_START + 4L * CHUNK);
            f.write(odd.chunk(9));
        }
        LocalChunks local = LocalChunks.index(disk, SLOT_START, 12L * CHUNK, v.manifest());
        assertTrue(local.has(9), "the half chunk that ends the image");
        assertArrayEquals(odd.chunk(9), local.readVerified(9, v.chunkVerifier()));
    }

    @Test
    void aDownloadCopiesLocalChunksInsteadOfAskingAndAsksForOneThatNoLongerVerifies() throws Exception {
        LocalChunks local = LocalChunks.index(disk, SLOT_START, 12L * CHUNK, verified.manifest());
        ChunkTransfer t = new ChunkTransfer(verified.manifest(), verified.chunkVerifier(), 0, 4, Duration.ofSeconds(30), clock, local);
        assertEquals(List.of(3), t.due(), "0, 1 and 2 are on the device");
        List<ChunkTransfer.Ready> copied = t.ready();
        assertEquals(List.of(0, 1, 2), copied.stream().map(ChunkTransfer.Ready::index).toList());
        assertArrayEquals(bundle.chunk(1), copied.get(1).data());
        write(t, copied);
        assertEquals(List.of(4, 6), t.due(), "3 is asked already, 5 is on the device");

        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) { // the running slot changes under the download
            f.seek(SLOT_START + 7L * CHUNK + 100);
            f.write(0x5a ^ bundle.chunk(5)[100]);
        }
        write(t, t.accept(3, bundle.chunk(3)));
        assertEquals(List.of(4), t.accept(4, bundle.chunk(4)).stream().map(ChunkTransfer.Ready::index).toList(),
                "chunk 5 no longer verifies: not written");
        write(t, List.of(new ChunkTransfer.Ready(4, bundle.chunk(4))));
        assertEquals(List.of(5, 7, 8), t.due(), "so it is asked for, with the window");
        assertEquals(List.of(5, 6), indexes(t.accept(6, bundle.chunk(6)), t.accept(5, bundle.chunk(5))));
    }

    private static List<Integer> indexes(List<ChunkTransfer.Ready> first, List<ChunkTransfer.Ready> second) {
        assertEquals(List.of(), first, "6 waits for 5");
        return second.stream().map(ChunkTransfer.Ready::index).toList();
    }

    private static void write(ChunkTransfer t, List<ChunkTransfer.Ready> ready) {
        for (ChunkTransfer.Ready r : ready) {
            t.written(r.index());
        }
    }
}
