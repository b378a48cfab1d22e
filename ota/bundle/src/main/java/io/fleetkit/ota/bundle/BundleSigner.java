package io.fleetkit.ota.bundle;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;

/**
 * Ed25519 signatures over the exact manifest bytes, with the JDK's own provider (no
 * BouncyCastle on the device). Ed25519 is deterministic, so the same manifest and key always
 * give the same 64-byte signature, and builds stay reproducible. The same signature checks out
 * with {@code openssl pkeyutl -verify -rawin -pubin -inkey signing.pub}.
 */
public final class BundleSigner {

    public static final int SIGNATURE_LENGTH = 64;

    private BundleSigner() {
    }

    public static byte[] sign(byte[] manifest, PrivateKey key) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(key);
            s.update(manifest);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot sign with this " + key.getAlgorithm() + " key: " + e.getMessage(), e);
        }
    }

    /** True only when {@code signature} is a valid Ed25519 signature of {@code manifest} by {@code key}. */
    public static boolean verify(byte[] manifest, byte[] signature, PublicKey key) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(manifest);
            return s.verify(signature);
        } catch (SignatureException | InvalidKeyException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks Ed25519", e);
        }
    }
}
