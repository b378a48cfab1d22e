package io.fleetkit.ota.server.devices;

import io.fleetkit.events.EventSink;
import io.fleetkit.ota.protocol.ChunkFrame;
import io.fleetkit.ota.protocol.ChunkPart;
import io.fleetkit.ota.protocol.ChunkRequest;
import io.fleetkit.ota.protocol.ProtocolException;
import io.fleetkit.ota.server.bundles.BundleStore;
import io.fleetkit.ota.server.bundles.PublishedBundle;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers a device's chunk requests, only for a bundle that device was offered ({@link OfferedBundles}) and
 * within its {@link ChunkRateLimit}; anything else gets no answer. Answers come from the stored bundle files: the header part is the bytes before the
 * payload, payload chunk {@code i} the manifest's chunk {@code i}. Each answer reads just its
 * range from disk (positional reads, safe from several threads); no bundle is held in memory.
 * Bundle rows are cached: a published bundle never changes.
 */
public final class ChunkServer {

    private final BundleStore store;
    private final OfferedBundles offers;
    private final ChunkRateLimit limit;
    private final EventSink sink;
    private final ConcurrentHashMap<String, Long> lastWarned = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, PublishedBundle> known = new ConcurrentHashMap<>();
    /** Deflated chunk frames; the raw ones are read from the file each time (cheap, and no copy to keep). */
    private final EncodedChunkCache deflated = new EncodedChunkCache(64L << 20);

    public ChunkServer(BundleStore store, OfferedBundles offers, ChunkRateLimit limit, EventSink sink) {
        this.store = store;
        this.offers = offers;
        this.limit = limit;
        this.sink = sink;
    }

    /**
     * The frame answering {@code payload} from {@code deviceId}, or empty when the request gets no answer: malformed,
     * for a bundle the device was not offered, or past its rate limit.
     */
    public Optional<byte[]> answer(String deviceId, byte[] payload) throws IOException, SQLException {
        ChunkRequest request;
        try {
            request = ChunkRequest.decode(payload);
        } catch (ProtocolException e) {
            warnNow(deviceId, "dropped chunk request from " + deviceId + ": " + e.getMessage());
            return Optional.empty();
        }
        if (!offers.offered(deviceId, request.bundle())) {
            warnNow(deviceId, "dropped chunk requests of " + deviceId + " for bundle " + request.bundle() + ", which it was not offered");
            return Optional.empty();
        }
        PublishedBundle b = bundle(request.bundle());
        long bytes = b == null ? 0 : request.part() == ChunkPart.HEADER ? b.headerSize()
                : request.index() < b.chunks() ? b.ref().chunkLength(request.index()) : 0;
        if (!limit.allow(deviceId, bytes)) {
            warnNow(deviceId, "dropped chunk requests of " + deviceId + " past its rate limit");
            return Optional.empty();
        }
        return Optional.of(answer(request));
    }

    /** A warning about a device at most once a minute, so a misbehaving device cannot flood the log. */
    private void warnNow(String deviceId, String message) {
        long now = System.nanoTime();
        Long last = lastWarned.get(deviceId);
        if (last == null || now - last > 60_000_000_000L) {
            lastWarned.put(deviceId, now);
            sink.warn("chunks", message);
        }
    }

    private PublishedBundle bundle(String sha256) throws SQLException {
        PublishedBundle b = known.get(sha256);
        if (b == null) {
            Optional<PublishedBundle> found = store.bySha256(sha256);
            if (found.isEmpty()) {
                return null;
            }
            b = found.get();
            known.put(b.sha256(), b);
        }
        return b;
    }

    /** The frame answering {@code request}, whoever asks. */
    public byte[] answer(ChunkRequest request) throws IOException, SQLException {
        PublishedBundle b = bundle(request.bundle());
        if (b == null) {
            return ChunkFrame.error(request, "chunk.unknown-bundle").encode();
        }
        long offset;
        int length;
        if (request.part() == ChunkPart.HEADER) {
            offset = 0;
            length = (int) b.headerSize();
        } else if (request.index() < b.chunks()) {
            offset = b.ref().chunkOffset(request.index());
            length = b.ref().chunkLength(request.index());
        } else {
            return ChunkFrame.error(request, "chunk.out-of-range").encode();
        }
        if (request.part() == ChunkPart.PAYLOAD && request.acceptsDeflate()) {
            try {
                return deflated.frame(b.sha256(), request.index(), () -> {
                    byte[] chunk = new byte[length];
                    read(b, offset, ByteBuffer.wrap(chunk));
                    return ChunkFrame.payload(b.sha256(), request.index(), chunk, true).encode();
                });
            } catch (java.io.UncheckedIOException e) {
                throw e.getCause();
            }
        }
        ChunkFrame.Prepared frame = ChunkFrame.prepare(b.sha256(), request.part(), request.index(), null, length);
        try {
            read(b, offset, ByteBuffer.wrap(frame.bytes(), frame.dataOffset(), length));
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
        return frame.bytes();
    }

    /** Fills {@code buf} from {@code offset} of the bundle's file. */
    private void read(PublishedBundle b, long offset, ByteBuffer buf) {
        try (FileChannel ch = FileChannel.open(store.file(b), StandardOpenOption.READ)) {
            long pos = offset;
            while (buf.hasRemaining()) {
                int n = ch.read(buf, pos);
                if (n < 0) {
                    throw new EOFException(store.file(b) + " is shorter than its " + b.size() + " bytes");
                }
                pos += n;
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
