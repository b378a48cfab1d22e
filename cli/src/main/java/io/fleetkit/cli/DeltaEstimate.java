package io.fleetkit.cli;

import io.fleetkit.ota.bundle.BundleManifest;
import io.fleetkit.ota.bundle.ChunkLocator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a device running an older slot downloads for a bundle: its header and the chunks its slot does not hold. */
record DeltaEstimate(OlderSlot from, int chunks, int held, long heldBytes, long download, long full) {

    static DeltaEstimate of(BundleManifest m, long headerSize, OlderSlot from) throws IOException {
        Map<Integer, Long> found;
        try (FileChannel in = FileChannel.open(from.file(), StandardOpenOption.READ)) {
            found = ChunkLocator.locate(m, in, from.start(), from.length());
        }
        long heldBytes = (long) found.size() * m.chunkSize();
        long full = headerSize + m.slotSize();
        return new DeltaEstimate(from, m.chunkCount(), found.size(), heldBytes, full - heldBytes, full);
    }

    void print(PrintWriter out) {
        out.printf("from         %s: %d of %d chunks held (%s)%n", from.file(), held, chunks, ByteSize.format(heldBytes));
        out.printf("download     %s of %s (%.1f%%)%n", ByteSize.format(download), ByteSize.format(full), 100.0 * download / full);
    }

    Map<String, Object> toJson() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("from", from.file().toString());
        d.put("chunksHeld", held);
        d.put("bytesHeld", heldBytes);
        d.put("downloadBytes", download);
        d.put("fullBytes", full);
        return d;
    }
}
