package io.fleetkit.ota.bundle;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.HexFormat;

/**
 * The short name of a signing key: the first 16 hex digits of the SHA-256 of the raw 32-byte
 * Ed25519 public key. Manifests carry it so a device can tell "signed by another key" apart
 * from "signature broken".
 */
public final class SigningKeyId {

    /** DER prefix of an Ed25519 SubjectPublicKeyInfo; the raw key follows it. */
    private static final byte[] ED25519_SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private SigningKeyId() {
    }

    public static String of(PublicKey key) {
        return HexFormat.of().formatHex(sha256(raw(key))).substring(0, 16);
    }

    /** The raw 32-byte Ed25519 public key inside the X.509 encoding. */
    public static byte[] raw(PublicKey key) {
        byte[] der = key.getEncoded();
        if (!"Ed25519".equals(key.getAlgorithm()) && !"EdDSA".equals(key.getAlgorithm())
                || der.length != ED25519_SPKI_PREFIX.length + 32) {
            throw new IllegalArgumentException("not an Ed25519 public key: " + key.getAlgorithm());
        }
        for (int i = 0; i < ED25519_SPKI_PREFIX.length; i++) {
            if (der[i] != ED25519_SPKI_PREFIX[i]) {
                throw new IllegalArgumentException("not an Ed25519 public key encoding");
            }
        }
        byte[] raw = new byte[32];
        System.arraycopy(der, ED25519_SPKI_PREFIX.length, raw, 0, 32);
        return raw;
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
