package io.fleetkit.build;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.ota.bundle.PemKeys;
import io.fleetkit.ota.bundle.SigningKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The fleet's update-signing key pair in the spec's key directory (made by {@code fleet keys init}). */
final class UpdateKeys {

    static final String PUBLIC = "signing.pub";
    static final String PRIVATE = "signing.key";

    private UpdateKeys() {
    }

    static Path publicKey(Path dir) {
        return require(dir, PUBLIC);
    }

    static SigningKey signingKey(Path dir) throws IOException {
        return new SigningKey(PemKeys.readPrivateKey(require(dir, PRIVATE)), PemKeys.readPublicKey(require(dir, PUBLIC)));
    }

    private static Path require(Path dir, String name) {
        Path f = dir.resolve(name);
        if (!Files.isRegularFile(f)) {
            throw new FleetkitException("build.no-update-keys", "the update keys are missing: " + f + " does not exist",
                    "make them with 'fleet keys init " + dir + "', or remove the spec's update section");
        }
        return f;
    }
}
