package io.fleetkit.ota.agent;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.formats.bootstate.Slot;
import io.fleetkit.formats.mbr.MbrReader;
import io.fleetkit.ota.bundle.SigningKey;
import io.fleetkit.ota.bundle.VerifiedManifest;
import io.fleetkit.ota.protocol.UpdateState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Download progress made durable at checkpoints ({@code download.syncBytes}, here three 64 KiB
 * chunks) on a real disk image: what is saved when, what a power cut between checkpoints leaves,
 * and the one slot writer an update keeps. The slot writer writes and syncs on its own thread, so
 * a checkpoint's save may come a chunk or a checkpoint later; the tests allow exactly that much.
 */
class DownloadCheckpointTest {

    private static final int SYNC_CHUNKS = 3;

    @TempDir
    Path dir;
    private SigningKey key;
    private SimulatedDevice device;
    private TestSlots.Bundle bundle;

    @BeforeEach
    void deviceOnSlotAWithAnElevenChunkBundleForB() throws Exception {
        key = TestSlots.newKey();
        device = new SimulatedDevice(dir, key, 2, "1.0.0");
        device.settings.put("download.syncBytes", Integer.toString(SYNC_CHUNKS * TestSlots.CHUNK));
        assertEquals(Slot.A, device.powerOn());
        Path slotB = TestSlots.slotImage(dir.resolve("v2"), "2.0.0", TestSlots.CHUNK * 10 + 1000);
        bundle = TestSlots.bundle(TestSlots.release("2.0.0", 2000000), slotB, key);
        assertEquals(11, bundle.manifest().chunkCount());
    }

    private UpdateStateMachine machine() throws Exception {
        return device.machine(device.running == Slot.A ? 1000000 : 2000000);
    }

    private UpdateStateMachine started() throws Exception {
        UpdateStateMachine m = machine();
        assertEquals(UpdateStateMachine.Next.NOTHING, m.resume());
        assertTrue(m.offer(bundle.desired()));
        m.acceptHeader(bundle.header());
        return m;
    }

    /** Chunks {@code from..to-1} the way the agent takes them: verify, write, record. */
    private static void download(UpdateStateMachine m, TestSlots.Bundle b, int from, int to) throws Exception {
        VerifiedManifest v = m.verifiedManifest();
        for (int i = from; i < to; i++) {
            v.chunkVerifier().verify(i, b.chunk(i));
            m.slotWriter().writeChunk(v.manifest(), i, b.chunk(i), b.chunk(i).length);
            m.chunksDone(i + 1);
        }
    }

    private int savedChunks() throws Exception {
        return device.store().load().orElseThrow().chunksDone();
    }

    private long slotB() throws Exception {
        return MbrReader.read(device.disk.image).require(Slot.B.partition(), "B").startByte();
    }

    /** What a power cut can leave of writes the storage never got: the bytes the slot held before (zeros here). */
    private void loseWrites(int fromChunk, int toChunk) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(device.disk.image.toFile(), "rw")) {
            f.seek(slotB() + (long) fromChunk * TestSlots.CHUNK);
            f.write(new byte[(toChunk - fromChunk) * TestSlots.CHUNK]);
        }
    }

    private void flipByteOfChunk(int chunk) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(device.disk.image.toFile(), "rw")) {
            long at = slotB() + (long) chunk * TestSlots.CHUNK + 17;
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x5a);
        }
    }

    private byte[] payload() {
        return Arrays.copyOfRange(bundle.bytes(), (int) bundle.headerSize(), bundle.bytes().length);
    }

    /** Waits for the slot writer's queued work, as if the power went only after the storage took it; then the power goes. */
    private static void storageSettles(UpdateStateMachine m) throws Exception {
        m.slotWriter().drain();
        m.powerCut();
    }

    @Test
    void savesTheStateOnlyAtCheckpointsAndAfterTheLastChunk() throws Exception {
        UpdateStateMachine m = started();
        List<Integer> saved = new ArrayList<>();
        int count = bundle.manifest().chunkCount();
        for (int n = 1; n <= count; n++) {
            download(m, bundle, n - 1, n);
            assertEquals(n, m.state().chunksDone(), "progress in memory is live (state reports)");
            int early = savedChunks();
            assertTrue(early % SYNC_CHUNKS == 0 || early == count, "only checkpoints are saved, even while they land: " + early);
            m.slotWriter().drain(); // checkpoints are saved on the writer's sync thread: let it catch up
            int s = savedChunks();
            saved.add(s);
            int lastCheckpoint = n / SYNC_CHUNKS * SYNC_CHUNKS;
            if (n < count) {
                assertEquals(lastCheckpoint, s, "after chunk " + n + " and the storage catching up, the last checkpoint is saved: " + saved);
            }
        }
        assertEquals(count, saved.get(count - 1), "the last chunk is saved at once: " + saved);
        assertEquals(saved.stream().sorted().toList(), saved, "never goes back: " + saved);
        assertEquals(0, m.slotWriter().unsyncedBytes(), "the last chunk is synced before anything else happens");
        m.install();
        assertEquals(UpdateState.REBOOTING, m.state().state());
    }

    @Test
    void powerCutBetweenCheckpointsResumesFromTheLastOneAndInstallsACorrectSlot() throws Exception {
        UpdateStateMachine cut = started();
        download(cut, bundle, 0, 5);
        storageSettles(cut);
        assertTrue(List.of(0, 3).contains(savedChunks()));
        loseWrites(3, 5); // chunks 3 and 4 were still in the page cache when the power went

        assertEquals(Slot.A, device.powerOn());
        UpdateStateMachine m = machine();
        assertEquals(UpdateStateMachine.Next.DOWNLOAD, m.resume());
        assertEquals(3, m.state().chunksDone());
        assertEquals(3, savedChunks());
        download(m, bundle, 3, bundle.manifest().chunkCount());
        m.install();

        assertEquals(UpdateState.REBOOTING, m.state().state());
        assertEquals(Slot.B, device.bootState().trial());
        assertArrayEquals(payload(), Arrays.copyOf(TestSlots.readSlot(device.disk, Slot.B), payload().length));
        assertEquals(Slot.B, device.powerOn());
    }

    @Test
    void aCorruptedChunkPastTheCheckpointIsNotTrusted() throws Exception {
        UpdateStateMachine cut = started();
        download(cut, bundle, 0, 5);
        storageSettles(cut);
        flipByteOfChunk(4);

        assertEquals(Slot.A, device.powerOn());
        UpdateStateMachine m = machine();
        assertEquals(UpdateStateMachine.Next.DOWNLOAD, m.resume());
        assertEquals(4, m.state().chunksDone(), "chunk 3 reads back verified, chunk 4 does not");
        assertEquals(4, savedChunks());
        download(m, bundle, 4, bundle.manifest().chunkCount());
        m.install();
        assertEquals(UpdateState.REBOOTING, m.state().state());
        assertArrayEquals(payload(), Arrays.copyOf(TestSlots.readSlot(device.disk, Slot.B), payload().length));
    }

    @Test
    void aCorruptedChunkBeforeTheCheckpointIsNotTrustedEither() throws Exception {
        UpdateStateMachine cut = started();
        download(cut, bundle, 0, 5);
        storageSettles(cut);
        flipByteOfChunk(1);
        assertEquals(Slot.A, device.powerOn());
        UpdateStateMachine m = machine();
        assertEquals(UpdateStateMachine.Next.DOWNLOAD, m.resume());
        assertEquals(1, m.state().chunksDone());
        assertEquals(1, savedChunks());
    }

    @Test
    void chunksPastTheCheckpointThatSurvivedAreKeptAfterReadingThemBack() throws Exception {
        UpdateStateMachine cut = started();
        download(cut, bundle, 0, 5);
        storageSettles(cut);
        assertEquals(Slot.A, device.powerOn());
        UpdateStateMachine m = machine();
        assertEquals(UpdateStateMachine.Next.DOWNLOAD, m.resume());
        assertEquals(5, m.state().chunksDone());
        assertEquals(5, savedChunks());
    }

    @Test
    void anyOtherSaveSyncsTheSlotFirstSoTheSavedCountNeverRunsAhead() throws Exception {
        UpdateStateMachine m = started();
        download(m, bundle, 0, 4);
        assertTrue(List.of(0, 3).contains(savedChunks()));
        assertEquals(TestSlots.CHUNK, m.slotWriter().unsyncedBytes());
        m.acknowledged(m.state().eventSeq()); // the server acknowledged the DOWNLOADING event
        assertEquals(4, savedChunks());
        assertEquals(0, m.slotWriter().unsyncedBytes());
    }

    @Test
    void oneWriterServesTheWholeUpdateAndANewUpdateGetsANewOneForTheOtherSlot() throws Exception {
        UpdateStateMachine m = started();
        SlotWriter w = m.slotWriter();
        assertEquals(Slot.B, w.target());
        download(m, bundle, 0, bundle.manifest().chunkCount());
        assertSame(w, m.slotWriter(), "the partition table and boot state are read once per update, not per chunk");
        m.install();
        assertThrows(IllegalStateException.class, () -> w.writeChunk(bundle.manifest(), 0, bundle.chunk(0), bundle.chunk(0).length),
                "a writer is closed when its update stops writing");

        assertEquals(Slot.B, device.powerOn());
        m = machine();
        assertEquals(UpdateStateMachine.Next.HEALTH_CHECK, m.resume());
        m.healthy();
        assertEquals(Slot.B, device.bootState().active());

        Path v3 = TestSlots.slotImage(dir.resolve("v3"), "3.0.0", TestSlots.CHUNK * 2);
        TestSlots.Bundle b3 = TestSlots.bundle(TestSlots.release("3.0.0", 3000000), v3, key);
        byte[] slotB = TestSlots.readSlot(device.disk, Slot.B);
        assertTrue(m.offer(b3.desired()));
        m.acceptHeader(b3.header());
        assertNotSame(w, m.slotWriter());
        assertEquals(Slot.A, m.slotWriter().target(), "B runs and is committed now: the update goes to A");
        download(m, b3, 0, b3.manifest().chunkCount());
        m.install();
        assertEquals(UpdateState.REBOOTING, m.state().state());
        assertArrayEquals(slotB, TestSlots.readSlot(device.disk, Slot.B), "the running slot is untouched");
    }

    @Test
    void aSavedDownloadIntoTheRunningSlotIsRefusedOnResumeAndWritesNothing() throws Exception {
        UpdateStateMachine m = started();
        download(m, bundle, 0, 3);
        storageSettles(m);
        byte[] slotA = TestSlots.readSlot(device.disk, Slot.A);
        // a state file that (by a bug or a hand edit) points the download at the running slot
        AgentState bad = m.state();
        bad = new AgentState(bad.state(), bad.targetVersion(), bad.rollout(), bad.bundle(), bad.url(), Slot.A, bad.manifest(),
                bad.signature(), bad.chunksDone(), bad.reason(), bad.message(), bad.bootId(), Instant.now(),
                bad.committedVersionNumber(), bad.eventSeq(), bad.outbox());
        device.store().save(bad);

        assertEquals(Slot.A, device.powerOn());
        UpdateStateMachine again = machine();
        assertEquals(UpdateStateMachine.Next.NOTHING, again.resume());
        assertEquals(UpdateState.FAILED, again.state().state());
        assertEquals("agent.inconsistent-state", again.state().reason());
        FleetkitException e = assertThrows(FleetkitException.class, again::slotWriter);
        assertEquals("agent.active-slot", e.code());
        assertArrayEquals(slotA, TestSlots.readSlot(device.disk, Slot.A));
    }

    @Test
    void aWriteThatFailsOnTheWritersThreadIsThrownByTheNextCall() throws Exception {
        SlotWriter w = new SlotWriter(dir, MbrReader.read(device.disk.image), Slot.B, Slot.A, Slot.A); // a directory is no disk
        w.writeChunk(bundle.manifest(), 0, bundle.chunk(0), bundle.chunk(0).length);
        java.io.IOException e = assertThrows(java.io.IOException.class, w::sync);
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
        w.close();
    }

    @Test
    void aStorageErrorFailsTheUpdateWithProgressBackToWhatIsDurable() throws Exception {
        UpdateStateMachine m = started();
        Path image = device.disk.image;
        Path moved = image.resolveSibling("disk.moved");
        java.nio.file.Files.move(image, moved);
        java.nio.file.Files.createDirectory(image); // the slot writer's first open now fails
        try {
            assertThrows(java.io.IOException.class, () -> {
                download(m, bundle, 0, bundle.manifest().chunkCount());
            });
            try {
                m.slotWriter(); // the next chunk the driver hands over
            } catch (java.io.IOException alreadyReported) {
                // the failure again, if the download had not seen it through the state machine yet
            }
        } finally {
            java.nio.file.Files.delete(image);
            java.nio.file.Files.move(moved, image);
        }
        assertEquals(UpdateState.FAILED, m.state().state());
        assertEquals("agent.slot-write", m.state().reason());
        AgentState saved = device.store().load().orElseThrow();
        assertEquals(UpdateState.FAILED, saved.state());
        assertEquals(0, saved.chunksDone(), "nothing reached the storage");
    }
}
