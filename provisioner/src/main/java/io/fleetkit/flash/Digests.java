package io.fleetkit.flash;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** Message digests by bmap checksum name. */
final class Digests {

    private Digests() {
    }

    static MessageDigest forBmapType(String type) {
        return create(switch (type.toLowerCase(Locale.ROOT)) {
            case "sha1" -> "SHA-1";
            default -> "SHA-256";
        });
    }

    static MessageDigest create(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every JDK", e);
        }
    }

    static byte[] sha256(ByteBuffer data) {
        MessageDigest md = create("SHA-256");
        md.update(data);
        return md.digest();
    }

    static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }
}
