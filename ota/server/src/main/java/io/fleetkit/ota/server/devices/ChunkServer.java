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
 * Answers chunk requests from the stored bundle files: the header part is the bytes before the
 * payload, payload chunk {@code i} the manifest's chunk {@code i}. Each answer reads just its
 * range from disk (positional reads, safe from several threads); no bundle is held in memory.
 * Bundle rows are cached: a published bundle never changes.
 */
public final class ChunkServer {

    private final BundleStore store;
    private final EventSink sink;
    private final ConcurrentHashMap<String, PublishedBundle> known = new ConcurrentHashMap<>();

    public ChunkServer(BundleStore store, EventSink sink) {
        this.store = store;
        this.sink = sink;
    }

    /** The frame answering {@code payload}, or empty when the request is not worth an answer (malformed). */
    public Optional<byte[]> answer(String deviceId, byte[] payload) throws IOException, SQLException {
        ChunkRequest request;
        try {
            request = ChunkRequest.decode(payload);
        } catch (ProtocolException e) {
            sink.warn("chunks", "dropped chunk request from " + deviceId + ": " + e.getMessage());
            return Optional.empty();
        }
        return Optional.of(answer(request));
    }

    public byte[] answer(ChunkRequest request) throws IOException, SQLException {
        PublishedBundle b = known.get(request.bundle());
        if (b == null) {
            Optional<PublishedBundle> found = store.bySha256(request.bundle());
            if (found.isEmpty()) {
                return ChunkFrame.error(request, "chunk.unknown-bundle").encode();
            }
            b = found.get();
            known.put(b.sha256(), b);
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
        ChunkFrame.Prepared frame = ChunkFrame.prepare(b.sha256(), request.part(), request.index(), null, length);
        try (FileChannel ch = FileChannel.open(store.file(b), StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.wrap(frame.bytes(), frame.dataOffset(), length);
            long pos = offset;
            while (buf.hasRemaining()) {
                int n = ch.read(buf, pos);
                if (n < 0) {
                    throw new EOFException(store.file(b) + " is shorter than its " + b.size() + " bytes");
                }
                pos += n;
            }
        }
        return frame.bytes();
    }
}
