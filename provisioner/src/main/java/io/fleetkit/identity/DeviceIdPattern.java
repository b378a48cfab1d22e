package io.fleetkit.identity;

import io.fleetkit.events.UsageException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Device ids from a pattern: {@code {seq}} or {@code {seq:05}} (zero-padded counter) and
 * {@code {serial}} (the card's or board's serial), e.g. {@code gw-{seq:05}} gives gw-00042.
 */
public final class DeviceIdPattern {

    private static final Pattern FIELD = Pattern.compile("\\{(seq|serial)(?::(0?\\d{1,2}))?}");
    private final String pattern;

    public DeviceIdPattern(String pattern) {
        Matcher m = FIELD.matcher(pattern);
        if (!m.find() || pattern.replaceAll(FIELD.pattern(), "").matches(".*[{}].*")) {
            throw new UsageException("station.bad-id-pattern", "id pattern '" + pattern
                    + "' needs {seq}, {seq:05} or {serial} and no other braces", "e.g. --id-pattern gw-{seq:05}");
        }
        // ids starting with fleet-server are servers' (DeviceIds): refuse a pattern that makes them before any card is written
        if (io.fleetkit.ota.protocol.DeviceIds.isReserved(pattern.replaceAll(FIELD.pattern(), "0"))) {
            throw new UsageException("station.reserved-id-pattern", "id pattern '" + pattern + "' makes ids starting with '"
                    + io.fleetkit.ota.protocol.ServerIds.PREFIX + "', which name fleet servers", "e.g. --id-pattern gw-{seq:05}");
        }
        this.pattern = pattern;
    }

    public boolean usesSerial() {
        return pattern.contains("{serial");
    }

    public String format(long seq, String serial) {
        Matcher m = FIELD.matcher(pattern);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value;
            if (m.group(1).equals("seq")) {
                value = m.group(2) == null ? Long.toString(seq)
                        : String.format(java.util.Locale.ROOT, "%" + (m.group(2).startsWith("0") ? m.group(2) : "0" + m.group(2)) + "d", seq);
            } else {
                if (serial == null || serial.isEmpty()) {
                    throw new UsageException("station.no-serial", "the id pattern uses {serial} but the device has no serial in sysfs",
                            "use {seq} in --id-pattern");
                }
                value = serial.replaceAll("[^A-Za-z0-9._-]", "");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
