package io.fleetkit.keys;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.ota.bundle.PemKeys;
import io.fleetkit.ota.bundle.SigningKey;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The fleet's keys in one directory (mode 0700):
 * <ul>
 * <li>{@code signing.key} (PKCS#8 PEM, 0600) and {@code signing.pub} (X.509 SPKI PEM): the Ed25519
 *     update-signing key; images embed {@code signing.pub}, devices trust bundles it verifies;</li>
 * <li>{@code ca.key} (PKCS#8 PEM, 0600) and {@code ca.crt}: the fleet CA, ECDSA P-256, self-signed,
 *     which issues server and device TLS certificates.</li>
 * </ul>
 */
public record FleetKeys(SigningKey signingKey, PrivateKey caKey, X509Certificate caCertificate) {

    public static final String SIGNING_KEY = "signing.key";
    public static final String SIGNING_PUB = "signing.pub";
    public static final String CA_KEY = "ca.key";
    public static final String CA_CERT = "ca.crt";
    public static final List<String> FILES = List.of(SIGNING_KEY, SIGNING_PUB, CA_KEY, CA_CERT);
    public static final Duration CA_VALIDITY = Duration.ofDays(20 * 365);
    public static final String CA_NAME = "Fleetkit fleet CA";

    /** Makes new keys in {@code dir}; refuses when any of the key files is already there. */
    public static FleetKeys init(Path dir, Clock clock) throws IOException {
        for (String name : FILES) {
            if (Files.exists(dir.resolve(name), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new FleetkitException("keys.exist", dir.resolve(name) + " already exists; fleet keys are never overwritten",
                        "Keep the existing keys (devices trust them), or move " + dir + " away to make a new fleet's keys.");
            }
        }
        KeyFiles.createDirectory(dir);
        KeyPair signing = KeyPairs.ed25519();
        KeyPair ca = KeyPairs.ecP256();
        X509Certificate caCert = X509CertificateBuilder.ca(X509CertificateBuilder.commonName(CA_NAME),
                ca.getPublic(), ca.getPrivate(), clock, CA_VALIDITY);
        try {
            KeyFiles.write(dir.resolve(SIGNING_KEY), PemKeys.privateKeyPem(signing.getPrivate()), KeyFiles.PRIVATE);
            KeyFiles.write(dir.resolve(SIGNING_PUB), PemKeys.publicKeyPem(signing.getPublic()), KeyFiles.PUBLIC);
            KeyFiles.write(dir.resolve(CA_KEY), PemKeys.privateKeyPem(ca.getPrivate()), KeyFiles.PRIVATE);
            KeyFiles.write(dir.resolve(CA_CERT), CertificatePem.write(caCert), KeyFiles.PUBLIC);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new FleetkitException("keys.exist", e.getFile() + " appeared while keys were being made",
                    "Another `fleet keys init` ran on " + dir + " at the same time; check which keys to keep.");
        }
        return new FleetKeys(new SigningKey(signing.getPrivate(), signing.getPublic()), ca.getPrivate(), caCert);
    }

    /** Reads the keys back; refuses private key files that group or others can read. */
    public static FleetKeys load(Path dir) throws IOException {
        for (String name : FILES) {
            if (!Files.isRegularFile(dir.resolve(name))) {
                throw new FleetkitException("keys.missing", dir.resolve(name) + " does not exist",
                        "Run `fleet keys init " + dir + "` for a new fleet, or point at the directory that holds its keys.");
            }
        }
        KeyFiles.checkPrivate(dir.resolve(SIGNING_KEY));
        KeyFiles.checkPrivate(dir.resolve(CA_KEY));
        SigningKey signing = new SigningKey(PemKeys.readPrivateKey(dir.resolve(SIGNING_KEY)), PemKeys.readPublicKey(dir.resolve(SIGNING_PUB)));
        PrivateKey caKey = PemKeys.readPrivateKey(dir.resolve(CA_KEY));
        X509Certificate caCert = CertificatePem.read(dir.resolve(CA_CERT));
        checkPair(signing, dir);
        return new FleetKeys(signing, caKey, caCert);
    }

    /** A signing.pub that does not belong to signing.key would make every bundle unverifiable. */
    private static void checkPair(SigningKey key, Path dir) {
        byte[] probe = "fleetkit key pair check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try {
            byte[] sig = io.fleetkit.ota.bundle.BundleSigner.sign(probe, key.privateKey());
            if (io.fleetkit.ota.bundle.BundleSigner.verify(probe, sig, key.publicKey())) {
                return;
            }
        } catch (IllegalArgumentException e) {
            // falls through to the refusal
        }
        throw new FleetkitException("keys.mismatch", dir.resolve(SIGNING_PUB) + " is not the public half of " + dir.resolve(SIGNING_KEY),
                "Restore the matching pair from backup; re-derive signing.pub with `openssl pkey -in signing.key -pubout`.");
    }
}
