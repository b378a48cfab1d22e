package io.fleetkit.ota.bundle;

import java.security.PrivateKey;
import java.security.PublicKey;

/**
 * The fleet's update-signing key pair (Ed25519). Both halves are kept because the JDK cannot
 * derive an Ed25519 public key from the private one, and a manifest names its signer's key id.
 */
public record SigningKey(PrivateKey privateKey, PublicKey publicKey) {

    public SigningKey {
        if (!"EdDSA".equals(privateKey.getAlgorithm()) && !"Ed25519".equals(privateKey.getAlgorithm())) {
            throw new IllegalArgumentException("the update-signing key must be Ed25519, not " + privateKey.getAlgorithm());
        }
        SigningKeyId.raw(publicKey);
    }

    public String keyId() {
        return SigningKeyId.of(publicKey);
    }
}
