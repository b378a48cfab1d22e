package io.fleetkit.ota.agent;

import io.fleetkit.ota.bundle.BundleManifest;
import io.fleetkit.ota.bundle.ChunkVerifier;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The payload side of a download, independent of the transport: which chunks to ask for (a
 * window ahead of the next chunk to write, asking again for any not answered within the
 * timeout), and which verified chunks are ready to write, strictly in order, so the slot always
 * holds a contiguous verified prefix. The timeout counts from a chunk's request or from the last
 * chunk that arrived, whichever is later: on a slow link (a 1 MiB chunk takes 8 s at 1 Mbit/s)
 * the window's later chunks are still queued behind the earlier ones long after they were asked
 * for, and asking again while chunks keep arriving would only send them twice and slow the link
 * further. A chunk the broker lost is asked for again once the rest of the window has arrived
 * and the timeout has passed with nothing more. Chunks are verified on arrival; a mismatch throws the
 * bundle refusal. Chunks the device holds already ({@link LocalChunks}, a delta update) are never
 * asked for: they are read when their turn comes and verified the same way; one that does not
 * verify is asked for instead. Not thread-safe: the agent drives it from one thread.
 */
public final class ChunkTransfer {

    /** A verified chunk ready to write. */
    public record Ready(int index, byte[] data) {
    }

    private final BundleManifest manifest;
    private final ChunkVerifier verifier;
    private final int window;
    private final Duration timeout;
    private final Clock clock;
    private final LocalChunks local;
    private final Map<Integer, Instant> asked = new HashMap<>();
    private final TreeMap<Integer, byte[]> held = new TreeMap<>();
    private int next;
    private Instant lastArrival; // of a chunk new to this transfer; null before the first

    public ChunkTransfer(BundleManifest manifest, ChunkVerifier verifier, int firstChunk, int window, Duration timeout, Clock clock) {
        this(manifest, verifier, firstChunk, window, timeout, clock, LocalChunks.NONE);
    }

    ChunkTransfer(BundleManifest manifest, ChunkVerifier verifier, int firstChunk, int window, Duration timeout, Clock clock,
                  LocalChunks local) {
        this.manifest = manifest;
        this.local = local;
        this.verifier = verifier;
        this.next = firstChunk;
        this.window = Math.max(1, window);
        this.timeout = timeout;
        this.clock = clock;
    }

    public int next() {
        return next;
    }

    /** The length chunk {@code index} has in the manifest, or -1 when there is no such chunk. */
    public int chunkLength(int index) {
        return index >= 0 && index < manifest.chunkCount() ? manifest.chunkLength(index) : -1;
    }

    public boolean done() {
        return next >= manifest.chunkCount();
    }

    /** Chunk indexes to request now; each is then considered asked until it arrives or times out. */
    public List<Integer> due() {
        Instant now = clock.instant();
        List<Integer> out = new ArrayList<>();
        for (int i = next; i < Math.min(manifest.chunkCount(), next + window); i++) {
            if (held.containsKey(i) || isLocal(i)) {
                continue;
            }
            Instant at = asked.get(i);
            if (at == null || !now.isBefore(latest(at, lastArrival).plus(timeout))) {
                asked.put(i, now);
                out.add(i);
            }
        }
        return out;
    }

    /** Forgets outstanding requests (after a reconnect), so {@link #due()} asks for them again at once. */
    public void forgetRequests() {
        asked.clear();
    }

    /**
     * Takes an arriving chunk: verified (throws on mismatch), then held until every chunk before
     * it is written. Repeats and chunks outside the window are ignored. Returns the chunks that
     * are now ready to write, in order; call {@link #written(int)} after writing each.
     */
    public List<Ready> accept(int index, byte[] data) {
        if (index < next || index >= next + window || index >= manifest.chunkCount() || held.containsKey(index)) {
            return List.of();
        }
        verifier.verify(index, data);
        held.put(index, data);
        asked.remove(index);
        lastArrival = clock.instant();
        return ready();
    }

    /**
     * The chunks ready to write from {@link #next()} on, in order: those that arrived, and those read
     * from the device itself, at most a window of the latter per call (call again after writing them).
     * Call {@link #written(int)} after writing each.
     */
    public List<Ready> ready() {
        List<Ready> ready = new ArrayList<>();
        int fromDevice = 0;
        for (int i = next; i < manifest.chunkCount(); i++) {
            byte[] data = held.get(i);
            if (data == null && isLocal(i) && fromDevice < window) {
                data = readLocal(i);
                fromDevice++;
            }
            if (data == null) {
                break;
            }
            held.put(i, data);
            ready.add(new Ready(i, data));
        }
        return ready;
    }

    private boolean isLocal(int index) {
        return local.has(index);
    }

    /** Chunk {@code index} from the device, verified; null (and asked for from now on) if unreadable or not the signed chunk. */
    private byte[] readLocal(int index) {
        return local.readVerified(index, verifier);
    }

    private static Instant latest(Instant a, Instant b) {
        return b == null || a.isAfter(b) ? a : b;
    }

    /** Marks chunk {@code index} written; the window moves on. */
    public void written(int index) {
        if (index != next) {
            throw new IllegalStateException("chunk " + index + " written out of order, expected " + next);
        }
        held.remove(index);
        next++;
    }
}
