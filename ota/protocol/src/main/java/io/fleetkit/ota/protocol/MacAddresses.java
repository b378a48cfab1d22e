package io.fleetkit.ota.protocol;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Ethernet MAC addresses in the one form the fleet stores and compares: six lower-case hex pairs
 * separated by colons ({@code dc:a6:32:01:02:03}), the form Linux prints in
 * {@code /sys/class/net/IF/address} and DHCP servers log.
 */
public final class MacAddresses {

    private static final Pattern ANY = Pattern.compile("[0-9a-f]{2}([:-][0-9a-f]{2}){5}");

    private MacAddresses() {
    }

    /** Accepts {@code aa:bb:..} and {@code aa-bb-..} in any case; empty for anything else. */
    public static Optional<String> normalize(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.strip().toLowerCase(Locale.ROOT);
        return ANY.matcher(t).matches() ? Optional.of(t.replace('-', ':')) : Optional.empty();
    }

    /** True for {@code 00:00:00:00:00:00}, which interfaces without hardware (tunnels, dummies) report. */
    public static boolean isZero(String normalized) {
        return "00:00:00:00:00:00".equals(normalized);
    }
}
