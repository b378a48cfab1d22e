package io.fleetkit.ota.agent;

import io.fleetkit.ota.boot.BootBackend;
import io.fleetkit.formats.mbr.MbrReader;
import io.fleetkit.formats.bootstate.Slot;
import io.fleetkit.ota.bundle.BundleManifest;
import io.fleetkit.ota.bundle.VerifiedManifest;
import io.fleetkit.formats.mbr.MbrPartition;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Future;

/**
 * The download half of an update: the current update's {@link SlotWriter}, which takes the
 * verified chunks in order into the target slot, and the durable checkpoints of that progress. It
 * keeps nothing across a power cut and saves nothing of its own: the {@link UpdateStateMachine}
 * owns the persisted {@link AgentState} and gives this class explicit inputs — the target slot,
 * how many chunks are durable already, the save to run at each checkpoint — and this class
 * reports back what the slot holds ({@link #verifiedPrefix}) and, when the writer failed on its
 * thread, a {@link WriteFailed} with the chunks known to be durable.
 * <p>
 * Checkpoints: once at least {@code syncBytes} ({@code download.syncBytes}) were written since
 * the last one, a sync of the slot starts behind the writes, and once it has completed the
 * checkpoint's save runs on the writer's sync thread: the agent's thread goes on verifying and
 * writing while the storage flushes and the state file is replaced. A saved chunk count therefore
 * never runs ahead of what the storage holds, a download that stalls still records everything
 * synced, and a power cut costs at most the chunks since the last saved checkpoint. Before any
 * other save of the state the owner calls {@link #syncAll}, which waits for every checkpoint
 * started before, so the state file only ever moves forward.
 */
public final class SlotDownload {

    /** The slot writer failed on its thread (an I/O error of the storage): the writer is closed, the update cannot go on. */
    static final class WriteFailed extends IOException {
        private final int durableChunks;

        WriteFailed(String message, IOException failure, int durableChunks) {
            super(message, failure);
            this.durableChunks = durableChunks;
        }

        /** How many leading chunks are known to be on the storage. */
        int durableChunks() {
            return durableChunks;
        }

        /** The writer's own failure. */
        IOException failure() {
            return (IOException) getCause();
        }
    }

    private final Path disk;
    private final BootBackend boot;
    private final long syncBytes;
    private SlotWriter writer;
    private Future<?> inFlight; // the last checkpoint started; earlier ones complete before it
    private int inFlightChunks;
    private int durable;

    /** Writes slots of {@code disk}, never the running or the committed one as {@code boot} tells them; a checkpoint every {@code syncBytes}. */
    public SlotDownload(Path disk, BootBackend boot, long syncBytes) {
        this.disk = disk;
        this.boot = boot;
        this.syncBytes = syncBytes;
    }

    /**
     * The writer for {@code target}. It is made on first use from the partition table and the boot
     * state, refusing the running and the committed slot ({@code agent.active-slot}), and then kept
     * for every chunk of the update; asking for another target closes it and makes a new one.
     * {@code durableChunks}: how many leading chunks a new writer finds on the storage already.
     */
    SlotWriter writer(Slot target, int durableChunks) throws IOException {
        if (writer != null && writer.failure() != null) {
            throw failed(writer, writer.failure());
        }
        if (writer != null && writer.target() != target) {
            close();
        }
        if (writer == null) {
            writer = new SlotWriter(disk, MbrReader.read(disk), target, boot.currentSlot(), boot.committedSlot());
            durable = durableChunks;
            inFlight = null;
        }
        return writer;
    }

    /** The chunks of {@code m} that the running slot holds already, to copy instead of downloading. */
    LocalChunks localChunks(BundleManifest m) throws IOException {
        MbrPartition running = MbrReader.read(disk).require(boot.currentSlot().partition(), "running slot " + boot.currentSlot());
        return LocalChunks.index(disk, running.startByte(), running.sizeBytes(), m);
    }

    /**
     * After a start: reads the chunks of {@code v} back from {@code target} and returns how many
     * leading ones verify. Chunks past the last checkpoint ({@code savedChunks}) count only because
     * they verify; they are synced before this returns, as they may still be in a cache if only the
     * agent restarted, so the owner may save the count.
     */
    int verifiedPrefix(Slot target, VerifiedManifest v, int savedChunks) throws IOException {
        SlotWriter w = writer(target, savedChunks);
        int good = w.verifiedPrefix(v.manifest(), v.chunkVerifier(), v.manifest().chunkCount());
        if (good > savedChunks) {
            guarded(w::sync);
        }
        return good;
    }

    /**
     * Chunks {@code 0..n-1} are handed to the writer. Once {@code syncBytes} were written since the
     * last checkpoint, starts the next: a sync, then {@code save} (which records {@code n}) on the
     * sync thread.
     */
    void written(int n, WriteBehind.Io save) throws IOException {
        guarded(() -> {
            settleCompleted();
            if (writer.unsyncedBytes() >= syncBytes) {
                inFlight = writer.startSync(save);
                inFlightChunks = n;
            }
        });
    }

    /** Notes a checkpoint completed meanwhile, and throws if one failed (the agent's tick calls this during a stalled download). */
    void settle() throws IOException {
        guarded(this::settleCompleted);
    }

    private void settleCompleted() throws IOException {
        if (inFlight != null && inFlight.isDone()) {
            writer.await(inFlight);
            inFlight = null;
            durable = inFlightChunks;
        }
    }

    /** Before the owner saves its state for any reason: everything written is synced and every checkpoint started is saved; {@code chunksDone} are then durable. */
    void syncAll(int chunksDone) throws IOException {
        guarded(() -> {
            if (writer != null && (writer.unsyncedBytes() > 0 || inFlight != null)) {
                writer.sync(); // behind the writes and every checkpoint in flight
                inFlight = null;
                durable = chunksDone;
            }
        });
    }

    /** The update stops writing (or is replaced): queued writes and checkpoints land, then the device is closed. */
    void close() throws IOException {
        SlotWriter w = release();
        if (w != null) {
            w.close();
        }
    }

    /** A power cut: whatever is queued is dropped and nothing of this update touches the disk or the state file any more. */
    void abandon() throws IOException {
        SlotWriter w = release();
        if (w != null) {
            w.abandon();
        }
    }

    /** Forgets the writer (and its checkpoint in flight) and returns it, or null. */
    private SlotWriter release() {
        SlotWriter w = writer;
        writer = null;
        inFlight = null;
        return w;
    }

    /** Runs {@code work}; an error that comes from a failure on the writer's threads is reported as {@link WriteFailed}. */
    private void guarded(WriteBehind.Io work) throws IOException {
        SlotWriter w = writer;
        try {
            work.run();
        } catch (IOException e) {
            if (w != null && w.failure() != null) {
                throw failed(w, w.failure());
            }
            throw e;
        }
    }

    private WriteFailed failed(SlotWriter w, IOException failure) throws IOException {
        int durableChunks = durable;
        close();
        return new WriteFailed("writing slot " + w.target() + " of " + disk + " failed: " + failure.getMessage(), failure, durableChunks);
    }
}
