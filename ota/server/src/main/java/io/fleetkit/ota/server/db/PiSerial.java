package io.fleetkit.ota.server.db;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The form of a Raspberry Pi serial number the boot firmware uses when it netboots (its TFTP
 * folder, option 97): the low 8 hex digits, lower case. {@code /proc/cpuinfo} and the device
 * tree print 16 digits ({@code 10000000c0ffee01}), the netboot side sees {@code c0ffee01}.
 */
public final class PiSerial {

    private static final Pattern HEX = Pattern.compile("[0-9a-f]{8}|[0-9a-f]{16}");

    private PiSerial() {
    }

    /** The 8-digit form of an 8- or 16-digit hex serial; empty for anything else (other boards' serials). */
    public static Optional<String> of(String serial) {
        if (serial == null) {
            return Optional.empty();
        }
        String s = serial.strip().toLowerCase(Locale.ROOT);
        return HEX.matcher(s).matches() ? Optional.of(s.substring(s.length() - 8)) : Optional.empty();
    }
}
