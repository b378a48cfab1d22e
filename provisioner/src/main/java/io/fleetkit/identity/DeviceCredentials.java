package io.fleetkit.identity;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.keys.CertificatePem;
import io.fleetkit.keys.Certificates;
import io.fleetkit.keys.DeviceCertificateIssuer;
import io.fleetkit.keys.FleetKeys;
import io.fleetkit.keys.KeyFiles;
import io.fleetkit.keys.KeyPairs;
import io.fleetkit.ota.bundle.PemKeys;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;

/**
 * What makes a device itself: its id, its private key, its certificate from the fleet CA and
 * the CA certificate it trusts. Held in memory only; written to the card, never to the station.
 */
public record DeviceCredentials(String deviceId, PrivateKey privateKey, X509Certificate certificate,
                                X509Certificate caCertificate) {

    public static final String KEY_FILE = "device.key";
    public static final String CERT_FILE = "device.crt";
    public static final String CA_FILE = "ca.crt";

    /** A fresh P-256 key pair and a certificate for it issued by the fleet CA. */
    public static DeviceCredentials issue(FleetKeys keys, String deviceId, Clock clock) {
        return issue(keys, deviceId, DeviceCertificateIssuer.DEFAULT_VALIDITY, clock);
    }

    /** The same with a certificate valid for {@code validity}. */
    public static DeviceCredentials issue(FleetKeys keys, String deviceId, java.time.Duration validity, Clock clock) {
        KeyPair pair = KeyPairs.ecP256();
        X509Certificate cert = new DeviceCertificateIssuer(clock).issue(keys, deviceId, pair.getPublic(), validity);
        return new DeviceCredentials(deviceId, pair.getPrivate(), cert, keys.caCertificate());
    }

    /** Reads {@code device.key}, {@code device.crt}, {@code ca.crt} from {@code dir} and checks they belong together. */
    public static DeviceCredentials load(Path dir) throws IOException {
        PrivateKey key = PemKeys.readPrivateKey(dir.resolve(KEY_FILE));
        X509Certificate cert = CertificatePem.read(dir.resolve(CERT_FILE));
        X509Certificate ca = CertificatePem.read(dir.resolve(CA_FILE));
        try {
            cert.verify(ca.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new FleetkitException("identity.not-from-ca", dir.resolve(CERT_FILE) + " was not issued by "
                    + dir.resolve(CA_FILE) + ": " + e.getMessage(), "issue the device certificate from the fleet CA");
        }
        if (!matches(key, cert)) {
            throw new FleetkitException("identity.key-mismatch", dir.resolve(KEY_FILE) + " is not the key of "
                    + dir.resolve(CERT_FILE), "put the device's own key beside its certificate");
        }
        return new DeviceCredentials(commonName(cert), key, cert, ca);
    }

    /** True when {@code key} signs what the certificate's public key verifies. */
    public static boolean matches(PrivateKey key, X509Certificate cert) {
        return Certificates.keyMatches(key, cert);
    }

    public String privateKeyPem() {
        return PemKeys.privateKeyPem(privateKey);
    }

    public String certificatePem() {
        return CertificatePem.write(certificate);
    }

    public String caCertificatePem() {
        return CertificatePem.write(caCertificate);
    }

    /** SHA-256 of the certificate's DER encoding, lower-case hex (what openssl x509 -fingerprint -sha256 shows). */
    public String certificateSha256() {
        return Certificates.sha256(certificate);
    }

    /** Writes {@code device.key} (0600), {@code device.crt} and {@code ca.crt} into {@code dir} (0700 when new); never replaces a file. */
    public void writeTo(Path dir) throws IOException {
        KeyFiles.createDirectory(dir);
        KeyFiles.writePrivate(dir.resolve(KEY_FILE), privateKeyPem());
        KeyFiles.writePublic(dir.resolve(CERT_FILE), certificatePem());
        KeyFiles.writePublic(dir.resolve(CA_FILE), caCertificatePem());
    }

    static String commonName(X509Certificate cert) {
        String cn = Certificates.commonName(cert);
        if (cn.isEmpty()) {
            throw new FleetkitException("identity.no-cn", "the device certificate has no CN (device id): "
                    + cert.getSubjectX500Principal(), "issue it with the device id as CN");
        }
        return cn;
    }
}
