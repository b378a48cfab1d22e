package io.fleetkit.keys;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.ota.protocol.DeviceIds;
import org.bouncycastle.asn1.x509.KeyPurposeId;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;

/**
 * Issues a device's TLS client certificate from the fleet CA: subject CN = device id, extended
 * key usage clientAuth, so the broker can tell devices apart by certificate. Ids in the servers'
 * name space ({@code fleet-server...}) are refused: a device must never get a server's rights.
 */
public final class DeviceCertificateIssuer {

    /** Three years: long enough for a device to outlive a few update cycles, short enough that a lost one stops by itself. */
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(3 * 365);

    private final Clock clock;

    public DeviceCertificateIssuer(Clock clock) {
        this.clock = clock;
    }

    public X509Certificate issue(PrivateKey caKey, X509Certificate caCert, String deviceId, PublicKey devicePublicKey, Duration validity) {
        if (DeviceIds.isReserved(deviceId)) {
            throw new FleetkitException("keys.reserved-device-id", "device id '" + deviceId + "' is reserved for fleet servers",
                    "Choose a device id that does not start with 'fleet-server'; servers get theirs from `fleet keys issue-server`.");
        }
        if (!DeviceIds.isValid(deviceId)) {
            throw new FleetkitException("keys.bad-device-id", "device id '" + deviceId + "' is not 1-64 of [A-Za-z0-9._-]",
                    "Use a device id made of letters, digits, '.', '_' and '-'.");
        }
        return X509CertificateBuilder.endEntity(caKey, caCert, X509CertificateBuilder.commonName(deviceId), devicePublicKey,
                KeyPurposeId.id_kp_clientAuth, null, clock, checked(validity));
    }

    public X509Certificate issue(FleetKeys keys, String deviceId, PublicKey devicePublicKey) {
        return issue(keys, deviceId, devicePublicKey, DEFAULT_VALIDITY);
    }

    public X509Certificate issue(FleetKeys keys, String deviceId, PublicKey devicePublicKey, Duration validity) {
        return issue(keys.caKey(), keys.caCertificate(), deviceId, devicePublicKey, validity);
    }

    static Duration checked(Duration validity) {
        if (validity.isNegative() || validity.isZero() || validity.compareTo(FleetKeys.CA_VALIDITY) > 0) {
            throw new FleetkitException("keys.bad-validity", "a certificate validity of " + validity.toDays() + " days is out of range",
                    "Give a validity of at least a day and at most the CA's " + FleetKeys.CA_VALIDITY.toDays() + " days, e.g. 365d.");
        }
        return validity;
    }
}
