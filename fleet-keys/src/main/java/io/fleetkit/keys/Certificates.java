package io.fleetkit.keys;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/** What the fleet reads off its certificates: the CN (a device's or server's id), the serial, the fingerprint, whether a key fits. */
public final class Certificates {

    /** How far before its issue a certificate's validity starts (clock skew between the issuing machine and devices). */
    public static final java.time.Duration BACKDATED = java.time.Duration.ofMinutes(1);

    private Certificates() {
    }

    /** The subject's CN, or "" when there is none. */
    public static String commonName(X509Certificate cert) {
        try {
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return rdn.getValue().toString();
                }
            }
        } catch (InvalidNameException e) {
            // no CN to be had
        }
        return "";
    }

    /** The serial number in lower-case hex, as {@code openssl x509 -serial} shows it (without leading zeros). */
    public static String serialHex(X509Certificate cert) {
        return cert.getSerialNumber().toString(16);
    }

    /** SHA-256 of the DER encoding, lower-case hex (what openssl x509 -fingerprint -sha256 shows). */
    public static String sha256(X509Certificate cert) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** True when {@code key} signs what the certificate's public key verifies. */
    public static boolean keyMatches(PrivateKey key, X509Certificate cert) {
        byte[] probe = "fleetkit key check".getBytes(StandardCharsets.US_ASCII);
        String alg = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> key.getAlgorithm();
        };
        try {
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(cert.getPublicKey());
            v.update(probe);
            return v.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
