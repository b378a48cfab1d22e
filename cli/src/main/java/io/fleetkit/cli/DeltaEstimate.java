package io.fleetkit.cli;

import io.fleetkit.ota.bundle.BundleManifest;
import io.fleetkit.ota.bundle.ChunkLocator;
import io.fleetkit.ota.protocol.ChunkCompression;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a device running an older slot downloads for a bundle: its header and the chunks its slot does
 * not hold ({@code download}), and as those travel over MQTT, each deflated where that is smaller ({@code wire}).
 */
record DeltaEstimate(OlderSlot from, int chunks, int held, long heldBytes, long download, long wire, long full) {

    static DeltaEstimate of(Path bundle, BundleManifest m, long headerSize, OlderSlot from) throws IOException {
        Map<Integer, Long> found;
        try (FileChannel in = FileChannel.open(from.file(), StandardOpenOption.READ)) {
            found = ChunkLocator.locate(m, in, from.start(), from.length());
        }
        long heldBytes = found.keySet().stream().mapToLong(m::chunkLength).sum();
        long full = headerSize + m.slotSize();
        long wire = headerSize;
        try (FileChannel in = FileChannel.open(bundle, StandardOpenOption.READ)) {
            for (int i = 0; i < m.chunkCount(); i++) {
                if (!found.containsKey(i)) {
                    ByteBuffer chunk = ByteBuffer.allocate(m.chunkLength(i));
                    if (!ChunkLocator.readFully(in, chunk, headerSize + m.chunkOffset(i))) {
                        throw new IOException(bundle + " ends inside chunk " + i);
                    }
                    byte[] deflated = ChunkCompression.deflate(chunk.array(), 0, chunk.capacity());
                    wire += deflated != null ? deflated.length : chunk.capacity();
                }
            }
        }
        return new DeltaEstimate(from, m.chunkCount(), found.size(), heldBytes, full - heldBytes, wire, full);
    }

    void print(PrintWriter out) {
        out.printf("from         %s: %d of %d chunks held (%s)%n", from.file(), held, chunks, ByteSize.format(heldBytes));
        out.printf("download     %s of %s (%.1f%%); %s over MQTT, chunks deflated%n", ByteSize.format(download), ByteSize.format(full),
                100.0 * download / full, ByteSize.format(wire));
    }

    Map<String, Object> toJson() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("from", from.file().toString());
        d.put("chunksHeld", held);
        d.put("bytesHeld", heldBytes);
        d.put("downloadBytes", download);
        d.put("mqttBytes", wire);
        d.put("fullBytes", full);
        return d;
    }
}
