package io.fleetkit.keys;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

/** New key pairs from the JDK's own providers. */
public final class KeyPairs {

    private KeyPairs() {
    }

    /** Ed25519: the update-signing key, verified on devices by the JDK alone. */
    public static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks Ed25519", e);
        }
    }

    /** ECDSA P-256: for the CA and TLS certificates, which every TLS stack (JSSE, Paho, Mosquitto) accepts. */
    public static KeyPair ecP256() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks EC P-256", e);
        }
    }
}
