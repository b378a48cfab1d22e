package io.fleetkit.ota.server.access;

import io.fleetkit.events.UsageException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * API token secrets: {@value #PREFIX} and 32 random bytes in base64url (256 bits; the prefix lets secret
 * scanners and people recognise one). The database keeps only {@link #sha256} of a token: a salt or a slow hash
 * adds nothing to a secret this random, and the plain SHA-256 lets a request's token be found by an index.
 */
public final class ApiToken {

    public static final String PREFIX = "fleet_";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}");
    private static final Pattern SHAPE = Pattern.compile(Pattern.quote(PREFIX) + "[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiToken() {
    }

    /** A new token secret. */
    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Whether {@code text} looks like a token at all (so garbage never reaches the database). */
    public static boolean wellFormed(String text) {
        return text != null && SHAPE.matcher(text).matches();
    }

    /** The lower-case hex SHA-256 of the token's UTF-8 bytes: what the database stores. */
    public static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** Checks a token name: a letter or digit, then up to 63 of letters, digits and {@code ._@+-}. */
    public static String requireName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new UsageException("token.bad-name", "'" + name + "' is not a token name: a letter or digit, then up to 63 of letters,"
                    + " digits and ._@+-", "Name it after its holder, e.g. fleet token create ci-deploy --role operator");
        }
        return name;
    }
}
