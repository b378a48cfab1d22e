package io.fleetkit.ota.agent;

import io.fleetkit.ota.bundle.VerifiedManifest;
import io.fleetkit.ota.protocol.ChunkFrame;
import io.fleetkit.ota.protocol.ChunkPart;
import io.fleetkit.ota.protocol.ChunkRequest;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * The download of one bundle as chunks over MQTT: asks for the signed header, then keeps a window
 * of payload chunk requests outstanding ({@link ChunkTransfer}), and passes each answer on to a
 * {@link DownloadReceiver} — the header to be verified, verified chunks in order to be written.
 * Chunks the device holds already ({@link LocalChunks}) are copied instead of asked for: a delta
 * update. Runs on the agent's thread.
 */
final class ChunkDownload {

    /** The chunks of a verified bundle that the device holds already, for a download starting at chunk {@code next}. */
    @FunctionalInterface
    interface LocalIndex {
        LocalChunks of(VerifiedManifest v, int next);
    }

    private final String bundle;
    private final int window;
    private final Duration timeout;
    private final Clock clock;
    private final Consumer<ChunkRequest> send;
    private final LocalIndex localIndex;
    private ChunkTransfer transfer;
    private Instant headerAskedAt;

    ChunkDownload(String bundle, int window, Duration timeout, Clock clock, Consumer<ChunkRequest> send, LocalIndex localIndex) {
        this.bundle = bundle;
        this.localIndex = localIndex;
        this.window = window;
        this.timeout = timeout;
        this.clock = clock;
        this.send = send;
    }

    /** Starts after a verified header (a resume), from chunk {@code next}. */
    void resumeAt(VerifiedManifest v, int next) {
        transfer = new ChunkTransfer(v.manifest(), v.chunkVerifier(), next, window, timeout, clock, localIndex.of(v, next));
    }

    /** Sends what is due: the header request, or payload requests to fill the window and replace timed-out ones. */
    void ask() {
        if (transfer == null) {
            if (headerAskedAt == null || !clock.instant().isBefore(headerAskedAt.plus(timeout))) {
                headerAskedAt = clock.instant();
                send.accept(ChunkRequest.header(bundle));
            }
            return;
        }
        for (int i : transfer.due()) {
            send.accept(ChunkRequest.payload(bundle, i).acceptingDeflate());
        }
    }

    /** After a reconnect: everything outstanding is asked for again at once. */
    void reconnected() {
        headerAskedAt = null;
        if (transfer != null) {
            transfer.forgetRequests();
        }
    }

    /**
     * Takes a header or payload frame for this bundle (an error frame is the caller's to handle):
     * the header goes to {@code receiver} to be verified, payload chunks once they are ready, in
     * order, until the receiver wants no more.
     */
    void onFrame(ChunkFrame f, DownloadReceiver receiver) throws IOException {
        if (f.part() == ChunkPart.HEADER) {
            if (transfer == null) {
                VerifiedManifest v = receiver.header(f.data());
                if (v != null) {
                    resumeAt(v, 0);
                    if (fill(receiver)) {
                        ask();
                    }
                }
            }
            return;
        }
        if (transfer == null) {
            return;
        }
        int length = transfer.chunkLength(f.index());
        if (length < 0) {
            return;
        }
        // a deflated chunk is inflated to exactly its manifest length, or refused (protocol.bad-encoding) and asked for again
        List<ChunkTransfer.Ready> ready = transfer.accept(f.index(), f.content(length));
        if (!ready.isEmpty() && deliver(ready, receiver) && fill(receiver)) {
            ask();
        }
    }

    /**
     * Hands {@code receiver} every chunk that is ready without asking anyone: those that arrived and
     * those the device holds, up to the next one to download. False when the receiver wants no more.
     */
    boolean fill(DownloadReceiver receiver) throws IOException {
        if (transfer == null) {
            return true;
        }
        for (List<ChunkTransfer.Ready> ready = transfer.ready(); !ready.isEmpty(); ready = transfer.ready()) {
            if (!deliver(ready, receiver)) {
                return false;
            }
        }
        return true;
    }

    private boolean deliver(List<ChunkTransfer.Ready> ready, DownloadReceiver receiver) throws IOException {
        for (ChunkTransfer.Ready r : ready) {
            if (!receiver.chunk(r.index(), r.data())) {
                return false;
            }
            transfer.written(r.index());
        }
        return true;
    }
}
