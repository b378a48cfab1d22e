package io.fleetkit.ota.agent;

import io.fleetkit.ota.bundle.VerifiedManifest;
import io.fleetkit.ota.protocol.ChunkFrame;
import io.fleetkit.ota.protocol.ChunkPart;
import io.fleetkit.ota.protocol.ChunkRequest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * The download of one bundle as chunks over MQTT: asks for the signed header, then keeps a window
 * of payload chunk requests outstanding ({@link ChunkTransfer}), and passes each answer on — the
 * header to be verified, verified chunks in order to be written. Runs on the agent's thread.
 */
final class ChunkDownload {

    /** Where the download's results go (the update driver). */
    interface Receiver {
        /** Verifies and keeps the signed header; throws the refusal if it is not acceptable. */
        VerifiedManifest header(byte[] bytes) throws Exception;

        /** Writes one verified chunk to the slot (chunks come in order). */
        void write(int index, byte[] data) throws Exception;

        /** Records that chunks {@code 0..next-1} are written (durable at the state machine's next checkpoint). */
        void writtenUpTo(int next) throws Exception;

        void serverError(ChunkFrame f) throws Exception;
    }

    private final String bundle;
    private final int window;
    private final Duration timeout;
    private final Clock clock;
    private final Consumer<ChunkRequest> send;
    private ChunkTransfer transfer;
    private Instant headerAskedAt;

    ChunkDownload(String bundle, int window, Duration timeout, Clock clock, Consumer<ChunkRequest> send) {
        this.bundle = bundle;
        this.window = window;
        this.timeout = timeout;
        this.clock = clock;
        this.send = send;
    }

    /** Starts after a verified header (a resume), from chunk {@code next}. */
    void resumeAt(VerifiedManifest v, int next) {
        transfer = new ChunkTransfer(v.manifest(), v.chunkVerifier(), next, window, timeout, clock);
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
            send.accept(ChunkRequest.payload(bundle, i));
        }
    }

    /** After a reconnect: everything outstanding is asked for again at once. */
    void reconnected() {
        headerAskedAt = null;
        if (transfer != null) {
            transfer.forgetRequests();
        }
    }

    /** Takes a frame for this bundle; true when every chunk is written. */
    boolean onFrame(ChunkFrame f, Receiver receiver) throws Exception {
        if (f.isError()) {
            receiver.serverError(f);
            return false;
        }
        if (f.part() == ChunkPart.HEADER) {
            if (transfer == null) {
                resumeAt(receiver.header(f.data()), 0);
                ask();
            }
            return false;
        }
        if (transfer == null) {
            return false;
        }
        List<ChunkTransfer.Ready> ready = transfer.accept(f.index(), f.data());
        if (ready.isEmpty()) {
            return false;
        }
        for (ChunkTransfer.Ready r : ready) {
            receiver.write(r.index(), r.data());
            transfer.written(r.index());
        }
        receiver.writtenUpTo(transfer.next());
        if (transfer.done()) {
            return true;
        }
        ask();
        return false;
    }
}
