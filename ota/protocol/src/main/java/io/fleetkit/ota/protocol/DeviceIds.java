package io.fleetkit.ota.protocol;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Device ids: {@code [A-Za-z0-9][A-Za-z0-9._-]{0,63}}, safe in MQTT topics, file names and SQL keys,
 * and not in the servers' name space ({@link ServerIds}): an id starting with {@code fleet-server}, in any
 * case, is never a device's, so no device certificate can carry a server's name.
 */
public final class DeviceIds {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private DeviceIds() {
    }

    public static boolean isValid(String id) {
        return id != null && ID.matcher(id).matches() && !isReserved(id);
    }

    /** True for ids in the servers' name space (see {@link ServerIds}), whatever their case. */
    public static boolean isReserved(String id) {
        return id != null && id.toLowerCase(Locale.ROOT).startsWith(ServerIds.PREFIX);
    }

    /** Returns {@code id}, or refuses with {@code protocol.bad-device-id}. */
    public static String require(String id) {
        if (isReserved(id)) {
            throw new ProtocolException("protocol.bad-device-id",
                    "device id '" + Text.shorten(id) + "' is reserved: ids starting with '" + ServerIds.PREFIX + "' name fleet servers");
        }
        if (!isValid(id)) {
            throw new ProtocolException("protocol.bad-device-id",
                    "device id '" + Text.shorten(String.valueOf(id)) + "' is not 1-64 of [A-Za-z0-9._-] starting with a letter or digit");
        }
        return id;
    }
}
