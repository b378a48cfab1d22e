package io.fleetkit.ota.agent;

import io.fleetkit.ota.bundle.BundleManifest;
import io.fleetkit.ota.bundle.BundleRefusedException;
import io.fleetkit.ota.bundle.ChunkLocator;
import io.fleetkit.ota.bundle.ChunkVerifier;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The chunks of a new slot image that the device holds already, in the slot it is running: a delta
 * update copies them from there instead of downloading them. The running slot is read once
 * ({@link ChunkLocator}; the build keeps unchanged content at unchanged offsets) and each chunk
 * found is remembered by offset. Nothing read here is trusted: the download verifies each local chunk against the signed
 * manifest exactly like a downloaded one, and one that does not verify is downloaded instead.
 * Reading never touches the slot being written (the running slot is never a target). Used by one
 * download at a time, from one thread.
 */
final class LocalChunks {

    /** A device that offers nothing locally: every chunk is downloaded. */
    static final LocalChunks NONE = new LocalChunks(null, Map.of(), null);

    private final Path source;
    private final Map<Integer, Long> offsets; // chunk index -> byte offset on the disk
    private final BundleManifest manifest;
    private final Set<Integer> unusable = new HashSet<>(); // found, but did not verify when read

    private LocalChunks(Path source, Map<Integer, Long> offsets, BundleManifest manifest) {
        this.source = source;
        this.offsets = offsets;
        this.manifest = manifest;
    }

    /** Indexes the running slot, {@code length} bytes from {@code start} of {@code disk}, against {@code wanted} ({@link ChunkLocator}). */
    static LocalChunks index(Path disk, long start, long length, BundleManifest wanted) throws IOException {
        try (FileChannel in = FileChannel.open(disk, StandardOpenOption.READ)) {
            return new LocalChunks(disk, ChunkLocator.locate(wanted, in, start, length), wanted);
        }
    }

    /** Whether chunk {@code index} can be copied from the running slot (and has not failed to verify). */
    boolean has(int index) {
        return offsets.containsKey(index) && !unusable.contains(index);
    }

    /**
     * Chunk {@code index} read from the running slot and verified against the signed manifest; null
     * if it cannot be read or is not the signed chunk (the slot changed under us, a bit flipped), and
     * from then on {@link #has} says no, so it is downloaded like any other.
     */
    byte[] readVerified(int index, ChunkVerifier verifier) {
        byte[] data = read(index);
        try {
            if (data != null) {
                verifier.verify(index, data);
                return data;
            }
        } catch (BundleRefusedException e) {
            // downloaded instead
        }
        unusable.add(index);
        return null;
    }

    /** How many of the new slot's chunks were found here. */
    int count() {
        return offsets.size();
    }

    /** Those chunks' bytes: what a delta update does not download. */
    long bytes() {
        return offsets.keySet().stream().mapToLong(manifest::chunkLength).sum();
    }

    /** The bytes of chunk {@code index} as the running slot holds them (unverified), or null if they cannot be read. */
    byte[] read(int index) {
        Long at = offsets.get(index);
        if (at == null) {
            return null;
        }
        ByteBuffer block = ByteBuffer.allocate(manifest.chunkLength(index));
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
            return ChunkLocator.readFully(in, block, at) ? block.array() : null;
        } catch (IOException e) {
            return null; // downloaded instead
        }
    }
}
