package io.fleetkit.station;

import java.time.Instant;

/**
 * One device the station wrote (or tried to). {@code status} is IN_PROGRESS while it is being
 * written, DONE only after the read-back matched, FAILED with {@code error}, or INTERRUPTED when
 * the station stopped before it finished. {@code verify} is PASSED, FAILED or null (not reached).
 * Only the certificate's fingerprint is kept, never a key.
 */
public record ProvisioningRecord(long id, String deviceId, String serial, String certificateSha256, String imageName,
                                 String imageVersion, String imageDigest, String target, Instant started, Instant ended,
                                 long bytesWritten, String verify, String status, String error) {

    public static final String IN_PROGRESS = "IN_PROGRESS";
    public static final String DONE = "DONE";
    public static final String FAILED = "FAILED";
    public static final String INTERRUPTED = "INTERRUPTED";
}
