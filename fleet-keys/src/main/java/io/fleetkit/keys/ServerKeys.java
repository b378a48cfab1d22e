package io.fleetkit.keys;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.ota.bundle.PemKeys;
import io.fleetkit.ota.protocol.ServerIds;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * What the online fleet server holds, and nothing more: the fleet CA's certificate (to check devices),
 * its own identity ({@code server.crt} with CN = its server id and the host names devices dial,
 * {@code server.key} 0600) and the update public key ({@code signing.pub}, to check published
 * bundles). The CA key and the signing key stay on the build/provisioning machine.
 */
public record ServerKeys(String serverId, PrivateKey key, X509Certificate certificate, X509Certificate caCertificate,
                         PublicKey signingPublicKey) {

    public static final String SERVER_KEY = "server.key";
    public static final String SERVER_CERT = "server.crt";
    /** The files to copy to the server machine. */
    public static final List<String> FILES = List.of(FleetKeys.CA_CERT, FleetKeys.SIGNING_PUB, SERVER_CERT, SERVER_KEY);

    /** Reads the server's files from {@code dir}; refuses a key readable by group or others, and a certificate not from the CA. */
    public static ServerKeys load(Path dir) throws IOException {
        for (String name : FILES) {
            if (!Files.isRegularFile(dir.resolve(name))) {
                throw new FleetkitException("keys.missing", dir.resolve(name) + " does not exist",
                        name.startsWith("server.")
                                ? "Issue the server's certificate on the machine that holds the fleet CA: fleet keys issue-server HOST... --keys "
                                        + dir + " (or -o DIR, then copy DIR here)."
                                : "Copy " + name + " from the fleet's key directory (made by `fleet keys init`).");
            }
        }
        KeyFiles.checkPrivate(dir.resolve(SERVER_KEY));
        X509Certificate ca = CertificatePem.read(dir.resolve(FleetKeys.CA_CERT));
        X509Certificate cert = CertificatePem.read(dir.resolve(SERVER_CERT));
        PrivateKey key = PemKeys.readPrivateKey(dir.resolve(SERVER_KEY));
        try {
            cert.verify(ca.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new FleetkitException("keys.not-from-ca", dir.resolve(SERVER_CERT) + " was not issued by " + dir.resolve(FleetKeys.CA_CERT),
                    "Issue it again with `fleet keys issue-server` from this fleet's CA.");
        }
        if (!Certificates.keyMatches(key, cert)) {
            throw new FleetkitException("keys.mismatch", dir.resolve(SERVER_KEY) + " is not the key of " + dir.resolve(SERVER_CERT),
                    "Copy server.key and server.crt of the same `fleet keys issue-server` run.");
        }
        String id = Certificates.commonName(cert);
        if (!ServerIds.isValid(id)) {
            throw new FleetkitException("keys.not-a-server", dir.resolve(SERVER_CERT) + " names '" + id + "', not a server id ("
                    + ServerIds.PREFIX + "...)", "Issue the server's certificate with `fleet keys issue-server`.");
        }
        return new ServerKeys(id, key, cert, ca, PemKeys.readPublicKey(dir.resolve(FleetKeys.SIGNING_PUB)));
    }

    /**
     * Issues a server identity from {@code keys} into {@code out}: {@code server.key} and {@code server.crt}, and, when
     * {@code out} is not the key directory itself, {@code ca.crt} and {@code signing.pub} beside them, so {@code out} is
     * what the server machine needs. {@code replace} renews an existing server certificate and key.
     */
    public static ServerKeys issue(FleetKeys keys, Path out, String serverId, List<String> names, Duration validity, boolean replace,
                                   Clock clock) throws IOException {
        KeyFiles.createDirectory(out);
        for (String name : List.of(SERVER_KEY, SERVER_CERT)) {
            if (!replace && Files.exists(out.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
                throw new FleetkitException("keys.exist", out.resolve(name) + " already exists",
                        "Renew it with --replace, or give another -o directory.");
            }
        }
        copyOrCheck(out.resolve(FleetKeys.CA_CERT), CertificatePem.write(keys.caCertificate()));
        copyOrCheck(out.resolve(FleetKeys.SIGNING_PUB), PemKeys.publicKeyPem(keys.signingKey().publicKey()));
        KeyPair pair = KeyPairs.ecP256();
        X509Certificate cert = new ServerCertificateIssuer(clock).issueIdentity(keys, serverId, names, pair.getPublic(), validity);
        KeyFiles.replace(out.resolve(SERVER_KEY), PemKeys.privateKeyPem(pair.getPrivate()), KeyFiles.PRIVATE);
        KeyFiles.replace(out.resolve(SERVER_CERT), CertificatePem.write(cert), KeyFiles.PUBLIC);
        return new ServerKeys(serverId, pair.getPrivate(), cert, keys.caCertificate(), keys.signingKey().publicKey());
    }

    /** Writes a public file of the fleet, or checks that the one there is the same: a directory never mixes two fleets. */
    private static void copyOrCheck(Path target, String pem) throws IOException {
        if (!Files.exists(target)) {
            KeyFiles.writePublic(target, pem);
        } else if (!Files.readString(target).equals(pem)) {
            throw new FleetkitException("keys.other-fleet", target + " belongs to another fleet",
                    "Give an empty -o directory, or the key directory of this fleet.");
        }
    }
}
