package io.fleetkit.ota.bundle;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the chunks of a new slot image already are in older bytes (a running slot, an older
 * bundle's slot image): the older bytes are read once in blocks of the manifest's chunk size at
 * chunk-aligned offsets, and each block whose SHA-256 is a wanted chunk's digest is noted. This is
 * what a delta update copies instead of downloading; the agent and {@code fleet bundle inspect
 * --from} both ask it, so the estimate is what a device does. A shorter last chunk is never found.
 */
public final class ChunkLocator {

    private ChunkLocator() {
    }

    /**
     * The offsets in {@code source} of {@code wanted}'s full-size chunks, by chunk index, looking at
     * {@code length} bytes from {@code start} but never more than the new slot image's size (content
     * further out would be there only if the build had moved it).
     */
    public static Map<Integer, Long> locate(BundleManifest wanted, FileChannel source, long start, long length) throws IOException {
        int size = wanted.chunkSize();
        Map<String, List<Integer>> byDigest = new HashMap<>();
        for (int i = 0; i < wanted.chunkCount(); i++) {
            if (wanted.chunkLength(i) == size) {
                byDigest.computeIfAbsent(wanted.chunkSha256().get(i), k -> new ArrayList<>()).add(i);
            }
        }
        long readable = Math.min(length, wanted.slotSize()) / size * size;
        Map<Integer, Long> offsets = new HashMap<>();
        ByteBuffer block = ByteBuffer.allocate(size);
        for (long at = 0; at < readable && !byDigest.isEmpty(); at += size) {
            block.clear();
            if (!readFully(source, block, start + at)) {
                break;
            }
            List<Integer> indices = byDigest.remove(SlotDigests.chunkSha256(block.array(), 0, size));
            if (indices != null) {
                for (int i : indices) {
                    offsets.put(i, start + at);
                }
            }
        }
        return Map.copyOf(offsets);
    }

    /** Fills {@code block} from {@code position}; false at the end of {@code source}. */
    public static boolean readFully(FileChannel source, ByteBuffer block, long position) throws IOException {
        long p = position;
        while (block.hasRemaining()) {
            int n = source.read(block, p);
            if (n < 0) {
                return false;
            }
            p += n;
        }
        return true;
    }
}
