package io.fleetkit.ota.agent;

import java.io.IOException;
import java.util.concurrent.Future;

/**
 * The current update's {@link SlotWriter} and the durable checkpoints of its download. Once at
 * least {@code syncBytes} ({@code download.syncBytes}) were written since the last checkpoint, a
 * sync of the slot starts behind the writes; when it has completed, the state is saved with the
 * chunk count it covers. That save happens at a later chunk or tick that finds the sync done, at the
 * latest when the next checkpoint starts (so at most one sync is in flight), or before any other
 * save. A saved chunk count therefore never runs ahead of what the storage holds, and a power cut
 * costs at most the chunks since the last saved checkpoint plus the one in flight.
 */
final class SlotCheckpoints {

    private final AgentStateStore store;
    private final long syncBytes;
    private SlotWriter writer;
    private Future<?> inFlight;
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
    }

    /** How many leading chunks are known to be on the storage. */
    int durableChunks() {
        return durable;
    }

    /** Chunks {@code 0..n-1} are handed to the writer; {@code state} already says so. */
    void written(AgentState state, int n) throws IOException {
        if (inFlight != null && inFlight.isDone()) {
            saveInFlight(state);
        }
        if (writer.unsyncedBytes() >= syncBytes) {
            Future<?> previous = inFlight;
            int previousChunks = inFlightChunks;
            inFlight = writer.startSync();
            inFlightChunks = n;
            if (previous != null) {
                writer.await(previous); // the writer's thread finishes it before the new one
                durable = previousChunks;
                store.saveProgress(state.withChunksDone(previousChunks));
            }
        }
    }

    /**
     * Saves a checkpoint whose sync has completed meanwhile; the agent's tick calls this, so a download that
     * stalls (no next chunk) still records what is durable within a second.
     */
    void settle(AgentState state) throws IOException {
        if (inFlight != null && inFlight.isDone()) {
            saveInFlight(state);
        }
    }

    private void saveInFlight(AgentState state) throws IOException {
        writer.await(inFlight);
        inFlight = null;
        durable = inFlightChunks;
        store.saveProgress(state.withChunksDone(inFlightChunks));
    }

    /** Before saving {@code state} for any reason: everything written so far is synced. */
    void syncAll(AgentState state) throws IOException {
        if (writer != null && (writer.unsyncedBytes() > 0 || inFlight != null)) {
            writer.sync(); // behind the writes and any sync in flight
            inFlight = null;
            durable = state.chunksDone();
        }
    }

    /** The update stops writing (or is replaced): queued writes land, then the device is closed. */
    void close() throws IOException {
        inFlight = null;
        if (writer != null) {
            SlotWriter w = writer;
            writer = null;
            w.close();
        }
    }
}
