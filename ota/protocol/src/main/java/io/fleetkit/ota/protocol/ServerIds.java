package io.fleetkit.ota.protocol;

import java.util.regex.Pattern;

/**
 * Fleet server ids: {@code fleet-server} or {@code fleet-server-<name>} ({@code <name>} 1-40 of
 * {@code [A-Za-z0-9._-]}). A server's id is its MQTT client id and the CN of its certificate; the broker
 * gives it the server's rights (publish desired states and chunks, subscribe with wildcards). Several
 * servers on one broker each take their own id. Device ids never start with {@value #PREFIX} ({@link DeviceIds}).
 */
public final class ServerIds {

    public static final String PREFIX = "fleet-server";
    public static final String DEFAULT = PREFIX;

    private static final Pattern ID = Pattern.compile(Pattern.quote(PREFIX) + "(-[A-Za-z0-9._-]{1,40})?");

    private ServerIds() {
    }

    public static boolean isValid(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** Returns {@code id}, or refuses with {@code protocol.bad-server-id}. */
    public static String require(String id) {
        if (!isValid(id)) {
            throw new ProtocolException("protocol.bad-server-id", "server id '" + Text.shorten(String.valueOf(id))
                    + "' is not " + PREFIX + " or " + PREFIX + "-NAME (NAME: 1-40 of [A-Za-z0-9._-])");
        }
        return id;
    }
}
