package io.fleetkit.ota.agent;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.ota.boot.MbrPartitions;
import io.fleetkit.ota.boot.Slot;
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
 * and the one slot writer an update keeps.
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
        return MbrPartitions.read(device.disk.image).require(Slot.B.partition(), "B").offset();
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

    @Test
    void savesTheStateOnlyAtCheckpointsAndAfterTheLastChunk() throws Exception {
        UpdateStateMachine m = started();
        List<Integer> saved = new ArrayList<>();
        for (int i = 0; i < bundle.manifest().chunkCount(); i++) {
            download(m, bundle, i, i + 1);
            assertEquals(i + 1, m.state().chunksDone(), "progress in memory is live (state reports)");
            saved.add(savedChunks());
        }
        assertEquals(List.of(0, 0, 3, 3, 3, 6, 6, 6, 9, 9, 11), saved);
        assertEquals(0, m.slotWriter().unsyncedBytes(), "the last chunk is synced before anything else happens");
        m.install();
        assertEquals(UpdateState.REBOOTING, m.state().state());
    }

    @Test
    void powerCutBetweenCheckpointsResumesFromTheLastOneAndInstallsACorrectSlot() throws Exception {
        download(started(), bundle, 0, 5);
        assertEquals(3, savedChunks());
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
        download(started(), bundle, 0, 5);
        assertEquals(3, savedChunks());
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
        download(started(), bundle, 0, 5);
        flipByteOfChunk(1);
        assertEquals(Slot.A, device.powerOn());
        UpdateStateMachine m = machine();
        assertEquals(UpdateStateMachine.Next.DOWNLOAD, m.resume());
        assertEquals(1, m.state().chunksDone());
        assertEquals(1, savedChunks());
    }

    @Test
    void chunksPastTheCheckpointThatSurvivedAreKeptAfterReadingThemBack() throws Exception {
        download(started(), bundle, 0, 5);
        assertEquals(3, savedChunks());
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
        assertEquals(3, savedChunks());
        assertEquals(TestSlots.CHUNK, m.slotWriter().unsyncedBytes());
        m.delivered(m.state().eventSeq()); // the server acknowledged the DOWNLOADING event
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
}
