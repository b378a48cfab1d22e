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
 * --from} both ask it, so the estimate is what a device does. A shorter last chunk is looked for
 * at the start of each block (the tail of a file that ends the image, a kernel say, stays put).
 */
public final class ChunkLocator {

    private ChunkLocator() {
    }

    /**
     * The offsets in {@code source} of {@code wanted}'s chunks, by chunk index, looking at
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
        int last = wanted.chunkCount() - 1;
        int lastLength = wanted.chunkLength(last);
        String shortLast = lastLength < size ? wanted.chunkSha256().get(last) : null;
        long readable = Math.min(length, wanted.slotSize());
        Map<Integer, Long> offsets = new HashMap<>();
        ByteBuffer block = ByteBuffer.allocate(size);
        for (long at = 0; at < readable && (!byDigest.isEmpty() || shortLast != null); at += size) {
            block.clear().limit((int) Math.min(size, readable - at));
            if (!readFully(source, block, start + at)) {
                break;
            }
            List<Integer> indices = block.position() == size ? byDigest.remove(SlotDigests.chunkSha256(block.array(), 0, size)) : null;
            if (indices != null) {
                for (int i : indices) {
                    offsets.put(i, start + at);
                }
            }
            if (shortLast != null && block.position() >= lastLength && shortLast.equals(SlotDigests.chunkSha256(block.array(), 0, lastLength))) {
                offsets.put(last, start + at);
                shortLast = null;
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
