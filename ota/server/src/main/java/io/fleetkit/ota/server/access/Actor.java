package io.fleetkit.ota.server.access;

import java.util.Locale;

/**
 * Who makes a change, for the audit log: an API token's name (from the client's address), or
 * {@code local:<os user>} for the CLI on the server's own database ({@code local}).
 */
public record Actor(String name, String source) {

    public Actor {
        name = clip(name);
        source = clip(source);
    }

    /** The operating-system user running this process, on the fleet's database directly. */
    public static Actor local() {
        String user = System.getProperty("user.name", "unknown");
        return new Actor("local:" + (user.isBlank() ? "unknown" : user.toLowerCase(Locale.ROOT)), "local");
    }

    /** The holder of the token {@code tokenName}, calling from {@code remoteAddress}. */
    public static Actor token(String tokenName, String remoteAddress) {
        return new Actor(tokenName, remoteAddress);
    }

    private static String clip(String s) {
        return s.length() <= 128 ? s : s.substring(0, 128);
    }
}
