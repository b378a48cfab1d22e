package io.fleetkit.ota.agent;

import java.io.IOException;
import java.util.concurrent.Future;

/**
 * The current update's {@link SlotWriter} and the durable checkpoints of its download. Once at
 * least {@code syncBytes} ({@code download.syncBytes}) were written since the last checkpoint, a
 * sync of the slot starts behind the writes, and once it has completed the state is saved, on the
 * writer's sync thread, with the chunk count it covers: the agent's thread goes on verifying and
 * writing while the storage flushes and the state file is replaced. A saved chunk count therefore
 * never runs ahead of what the storage holds, a download that stalls still records everything
 * synced, and a power cut costs at most the chunks since the last saved checkpoint. Any other save
 * of the state ({@link #syncAll}) first waits for every checkpoint started before, so the state
 * file only ever moves forward.
 */
final class SlotCheckpoints {

    private final AgentStateStore store;
    private final long syncBytes;
    private SlotWriter writer;
    private Future<?> inFlight; // the last checkpoint started; earlier ones complete before it
    private int inFlightChunks;
    private int durable;

    SlotCheckpoints(AgentStateStore store, long syncBytes) {
        this.store = store;
        this.syncBytes = syncBytes;
    }

    /** The writer in use, or null. */
    SlotWriter writer() {
        return writer;
    }

    /** Uses {@code w} from now on (after {@link #close()} of the previous one); chunks {@code 0..durable-1} are on the storage already. */
    void use(SlotWriter w, int durableChunks) {
        writer = w;
        durable = durableChunks;
        inFlight = null;
    }

    /** How many leading chunks are known to be on the storage (at least; a checkpoint may have completed since). */
    int durableChunks() {
        return durable;
    }

    /** Chunks {@code 0..n-1} are handed to the writer; {@code state} already says so. */
    void written(AgentState state, int n) throws IOException {
        settle();
        if (writer.unsyncedBytes() >= syncBytes) {
            AgentState checkpoint = state.withChunksDone(n);
            inFlight = writer.startSync(() -> store.saveProgress(checkpoint));
            inFlightChunks = n;
        }
    }

    /** Notes a checkpoint completed meanwhile, and throws if one failed (the agent's tick calls this during a stalled download). */
    void settle() throws IOException {
        if (inFlight != null && inFlight.isDone()) {
            writer.await(inFlight);
            inFlight = null;
            durable = inFlightChunks;
        }
    }

    /** Before saving {@code state} for any reason: everything written so far is synced, and every checkpoint started is saved. */
    void syncAll(AgentState state) throws IOException {
        if (writer != null && (writer.unsyncedBytes() > 0 || inFlight != null)) {
            writer.sync(); // behind the writes and every checkpoint in flight
            inFlight = null;
            durable = state.chunksDone();
        }
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
}
