package io.fleetkit.ota.bundle;

import io.fleetkit.events.FleetkitException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/**
 * PEM text for keys, in the forms both the JDK and openssl read: public keys as X.509
 * SubjectPublicKeyInfo ({@code BEGIN PUBLIC KEY}), private keys as unencrypted PKCS#8
 * ({@code BEGIN PRIVATE KEY}). Ed25519, EC and RSA keys are recognised.
 */
public final class PemKeys {

    private static final List<String> ALGORITHMS = List.of("Ed25519", "EC", "RSA");
    private static final int MAX_PEM_CHARS = 64 * 1024;

    private PemKeys() {
    }

    public static String publicKeyPem(PublicKey key) {
        return pem("PUBLIC KEY", key.getEncoded());
    }

    public static String privateKeyPem(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    /** PEM armour with 64-character lines, as openssl writes it. */
    public static String pem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }

    public static PublicKey readPublicKey(Path file) throws IOException {
        byte[] der = der(read(file), "PUBLIC KEY", file.toString());
        for (String alg : ALGORITHMS) {
            try {
                return KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException | IllegalArgumentException ignored) {
                // not this algorithm; try the next
            }
        }
        throw unreadable(file.toString(), "public key of an unsupported algorithm");
    }

    public static PrivateKey readPrivateKey(Path file) throws IOException {
        return parsePrivateKey(read(file), file.toString());
    }

    /** A PKCS#8 {@code PRIVATE KEY} block from PEM text; {@code source} names it in errors. */
    public static PrivateKey parsePrivateKey(String text, String source) {
        byte[] der = der(text, "PRIVATE KEY", source);
        for (String alg : ALGORITHMS) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException | IllegalArgumentException ignored) {
                // not this algorithm; try the next
            }
        }
        throw unreadable(source, "private key of an unsupported algorithm");
    }

    /** Decodes the first block labelled {@code label} in {@code text}. */
    public static byte[] der(String text, String label, String source) {
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int b = text.indexOf(begin);
        int e = b < 0 ? -1 : text.indexOf(end, b);
        if (b < 0 || e < 0) {
            throw unreadable(source, "no '" + begin + "' block");
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(b + begin.length(), e).trim());
        } catch (IllegalArgumentException ex) {
            throw unreadable(source, "bad base64 in the PEM block");
        }
    }

    private static String read(Path file) throws IOException {
        if (Files.size(file) > MAX_PEM_CHARS) {
            throw unreadable(file.toString(), "file is larger than " + MAX_PEM_CHARS + " bytes");
        }
        return Files.readString(file, StandardCharsets.ISO_8859_1);
    }

    private static FleetkitException unreadable(String source, String why) {
        return new FleetkitException("keys.unreadable", source + ": " + why,
                "Use a PEM file written by `fleet keys init` (or openssl genpkey/pkey).");
    }
}
