package io.fleetkit.ota.server.bundles;

import io.fleetkit.ota.protocol.BundleRef;
import java.time.Instant;

/**
 * A verified bundle in the store: published as {@code name} (the manifest's version unless
 * given), for {@code board}; its file is {@code path} relative to the data directory.
 */
public record PublishedBundle(String sha256, String name, String version, long versionNumber, String board, long size,
                              long headerSize, int chunkSize, int chunks, String path, Instant publishedAt) {

    /** What a desired update says about this bundle. */
    public BundleRef ref() {
        return new BundleRef(sha256, size, headerSize, chunkSize, chunks);
    }
}
