package io.fleetkit.ota.bundle;

import java.time.Duration;
import java.time.Instant;

/**
 * What the builder decides about a bundle; {@link BundleWriter} adds what it measures (slot size,
 * digests) and the signer's key id to make the {@link BundleManifest}.
 */
public record BundleRelease(
        String name,
        String version,
        String board,
        long versionNumber,
        boolean allowDowngrade,
        int chunkSize,
        Instant createdAt,
        Instant expiresAt) {

    public static final Duration DEFAULT_LIFETIME = Duration.ofDays(365);

    /** A release with the default 1 MiB chunks, no downgrade, valid for a year from {@code createdAt}. */
    public static BundleRelease of(String name, String version, String board, long versionNumber, Instant createdAt) {
        Instant created = createdAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        return new BundleRelease(name, version, board, versionNumber, false, BundleManifest.DEFAULT_CHUNK_SIZE,
                created, created.plus(DEFAULT_LIFETIME));
    }

    public BundleRelease withAllowDowngrade(boolean allow) {
        return new BundleRelease(name, version, board, versionNumber, allow, chunkSize, createdAt, expiresAt);
    }

    public BundleRelease withExpiresAt(Instant expires) {
        return new BundleRelease(name, version, board, versionNumber, allowDowngrade, chunkSize, createdAt, expires);
    }

    public BundleRelease withChunkSize(int size) {
        return new BundleRelease(name, version, board, versionNumber, allowDowngrade, size, createdAt, expiresAt);
    }
}
