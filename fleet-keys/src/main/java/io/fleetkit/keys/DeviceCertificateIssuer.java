package io.fleetkit.keys;

import io.fleetkit.events.FleetkitException;
import org.bouncycastle.asn1.x509.KeyPurposeId;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Issues a device's TLS client certificate from the fleet CA: subject CN = device id, extended
 * key usage clientAuth, so the broker can tell devices apart by certificate.
 */
public final class DeviceCertificateIssuer {

    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(10 * 365);
    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final Clock clock;

    public DeviceCertificateIssuer(Clock clock) {
        this.clock = clock;
    }

    public X509Certificate issue(PrivateKey caKey, X509Certificate caCert, String deviceId, PublicKey devicePublicKey, Duration validity) {
        if (deviceId == null || !DEVICE_ID.matcher(deviceId).matches()) {
            throw new FleetkitException("keys.bad-device-id", "device id '" + deviceId + "' is not 1-64 of [A-Za-z0-9._-]",
                    "Use a device id made of letters, digits, '.', '_' and '-'.");
        }
        return X509CertificateBuilder.endEntity(caKey, caCert, X509CertificateBuilder.commonName(deviceId), devicePublicKey,
                KeyPurposeId.id_kp_clientAuth, null, clock, validity);
    }

    public X509Certificate issue(FleetKeys keys, String deviceId, PublicKey devicePublicKey) {
        return issue(keys.caKey(), keys.caCertificate(), deviceId, devicePublicKey, DEFAULT_VALIDITY);
    }
}
