package io.fleetkit.ota.bundle;

/**
 * A manifest whose signature checked out against a trusted key. Only {@link BundleReader}
 * makes these, so holding one means the signature was verified.
 */
public final class VerifiedManifest {

    private final BundleManifest manifest;
    private final BundleHeader header;

    VerifiedManifest(BundleManifest manifest, BundleHeader header) {
        this.manifest = manifest;
        this.header = header;
    }

    public BundleManifest manifest() {
        return manifest;
    }

    public BundleHeader header() {
        return header;
    }

    /** Offset of the slot image in the bundle file. */
    public long payloadOffset() {
        return header.payloadOffset();
    }

    /** Checks chunks one at a time, by index, as they arrive. */
    public ChunkVerifier chunkVerifier() {
        return new ChunkVerifier(manifest);
    }
}
