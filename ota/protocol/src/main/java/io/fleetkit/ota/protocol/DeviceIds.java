package io.fleetkit.ota.protocol;

import java.util.regex.Pattern;

/** Device ids: {@code [A-Za-z0-9][A-Za-z0-9._-]{0,63}}, safe in MQTT topics, file names and SQL keys. */
public final class DeviceIds {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private DeviceIds() {
    }

    public static boolean isValid(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** Returns {@code id}, or refuses with {@code protocol.bad-device-id}. */
    public static String require(String id) {
        if (!isValid(id)) {
            throw new ProtocolException("protocol.bad-device-id",
                    "device id '" + Text.shorten(String.valueOf(id)) + "' is not 1-64 of [A-Za-z0-9._-] starting with a letter or digit");
        }
        return id;
    }
}
