package io.fleetkit.ota.server.security;

import io.fleetkit.keys.Certificates;
import java.time.Instant;

/**
 * One revocation from the fleet database: every certificate of {@code deviceId} issued before
 * {@code revokedAt} ({@code serial} null; issued = valid from plus {@link Certificates#BACKDATED}), or the one
 * certificate with that serial (lower-case hex).
 */
public record Revocation(String deviceId, String serial, String reason, Instant revokedAt) {

    /** Whether this revocation covers a certificate of {@code deviceId} with {@code serial}, valid from {@code notBefore}. */
    public boolean covers(String id, String certSerial, Instant notBefore) {
        if (!deviceId.equals(id)) {
            return false;
        }
        // our certificates start BACKDATED before their issue: one issued after the revocation is not covered
        return serial != null ? serial.equals(certSerial) : notBefore.plus(Certificates.BACKDATED).isBefore(revokedAt);
    }
}
