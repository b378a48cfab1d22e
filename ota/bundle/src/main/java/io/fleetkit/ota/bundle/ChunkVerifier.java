package io.fleetkit.ota.bundle;


/**
 * Checks one chunk of the slot image against the signed manifest: its length and its SHA-256.
 * The agent calls it for each chunk it receives, before writing the chunk to the slot.
 */
public final class ChunkVerifier {

    private final BundleManifest manifest;

    ChunkVerifier(BundleManifest manifest) {
        this.manifest = manifest;
    }

    public int chunkCount() {
        return manifest.chunkCount();
    }

    /** Expected length of chunk {@code index}. */
    public int chunkLength(int index) {
        return manifest.chunkLength(index);
    }

    public void verify(int index, byte[] data) {
        verify(index, data, 0, data.length);
    }

    /** Refuses with {@link BundleRefusal#CHUNK_MISMATCH}, naming the index, if the chunk is not the signed one. */
    public void verify(int index, byte[] data, int offset, int length) {
        if (index < 0 || index >= manifest.chunkCount()) {
            throw new BundleRefusedException(BundleRefusal.CHUNK_MISMATCH,
                    "chunk " + index + " does not exist; " + manifest.name() + " " + manifest.version() + " has " + manifest.chunkCount() + " chunks");
        }
        int expected = manifest.chunkLength(index);
        if (length != expected) {
            throw new BundleRefusedException(BundleRefusal.CHUNK_MISMATCH,
                    "chunk " + index + " of " + manifest.name() + " " + manifest.version() + " is " + length + " bytes, the manifest says " + expected);
        }
        String actual = SlotDigests.chunkSha256(data, offset, length);
        if (!actual.equals(manifest.chunkSha256().get(index))) {
            throw new BundleRefusedException(BundleRefusal.CHUNK_MISMATCH,
                    "chunk " + index + " of " + manifest.name() + " " + manifest.version() + " has SHA-256 " + actual
                            + ", the manifest says " + manifest.chunkSha256().get(index));
        }
    }
}
