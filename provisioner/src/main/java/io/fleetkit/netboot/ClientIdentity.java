package io.fleetkit.netboot;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the servers know about a client: its MAC address (lower case, colon separated) and, for
 * Raspberry Pis, its serial number (the 8 lower-case hex digits the firmware uses as TFTP folder).
 * Either may be null when not (yet) known.
 */
public record ClientIdentity(String mac, String piSerial) {

    private static final Pattern MAC = Pattern.compile("[0-9a-f]{2}([:-][0-9a-f]{2}){5}");
    private static final Pattern SERIAL = Pattern.compile("[0-9a-f]{8}");

    public static final ClientIdentity UNKNOWN = new ClientIdentity(null, null);

    public ClientIdentity {
        mac = mac == null ? null : normalizeMac(mac).orElseThrow(() -> new IllegalArgumentException("bad MAC"));
        piSerial = piSerial == null ? null : normalizeSerial(piSerial)
                .orElseThrow(() -> new IllegalArgumentException("bad Pi serial"));
    }

    public static ClientIdentity ofMac(String mac) {
        return new ClientIdentity(mac, null);
    }

    public ClientIdentity withSerial(String serial) {
        return new ClientIdentity(mac, serial);
    }

    /** Accepts {@code aa:bb:..} and {@code aa-bb-..} in any case. */
    public static Optional<String> normalizeMac(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        return MAC.matcher(t).matches() ? Optional.of(t.replace('-', ':')) : Optional.empty();
    }

    /** Accepts 8 hex digits, or the 16-digit form of /proc/cpuinfo ({@code 10000000abcd1234}). */
    public static Optional<String> normalizeSerial(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        if (t.length() == 16 && t.matches("[0-9a-f]{16}")) {
            t = t.substring(8);
        }
        return SERIAL.matcher(t).matches() ? Optional.of(t) : Optional.empty();
    }

    public static String macOf(byte[] hw) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            if (i > 0) {
                b.append(':');
            }
            b.append(String.format("%02x", hw[i] & 0xff));
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return (mac == null ? "?" : mac) + (piSerial == null ? "" : " serial " + piSerial);
    }
}
