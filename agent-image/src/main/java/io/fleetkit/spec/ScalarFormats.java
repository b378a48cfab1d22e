package io.fleetkit.spec;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The spec's scalar formats. Each parser returns the value or throws
 * {@link IllegalArgumentException} whose message is meant for the user as is.
 */
final class ScalarFormats {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
    private static final Pattern VERSION = Pattern.compile(
            "(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?");
    private static final Pattern SIZE = Pattern.compile("([0-9]+) ?([A-Za-z]*)");
    private static final Pattern DURATION_PART = Pattern.compile("([0-9]+)(ms|s|m|h)");
    private static final Pattern MODE = Pattern.compile("0?[0-7]{3}|[0-7]{4}");
    private static final Pattern USER = Pattern.compile("([0-9]{1,9}):([0-9]{1,9})");

    private ScalarFormats() {
    }

    /** Image, service and command names: they become file names, hostnames and cgroup names. */
    static String name(String text) {
        if (!NAME.matcher(text).matches() || text.length() > 63) {
            throw new IllegalArgumentException("'" + text
                    + "' is not a valid name: use lower-case letters, digits and '-', starting with a letter or digit, at most 63 characters");
        }
        return text;
    }

    /** Semantic-version-like: 1.0.0, 2.1.0-rc1, 1.2.3+build.5. */
    static String version(String text) {
        if (!VERSION.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a version like 1.0.0 or 2.1.0-rc1");
        }
        return text;
    }

    /**
     * Bytes from {@code 128MiB}, {@code 1GiB}, {@code 512KiB}, {@code 1000000} (plain bytes) or
     * decimal units. Both families are accepted because both are common: KiB/MiB/GiB/TiB are powers
     * of 1024; kB/KB/MB/GB/TB are powers of 1000 (so 128MB is 128000000 bytes, not 128MiB).
     */
    static long size(String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size like 128MiB, 1GiB, 512KiB or a number of bytes");
        }
        long unit = switch (m.group(2)) {
            case "", "B" -> 1L;
            case "KiB" -> 1L << 10;
            case "MiB" -> 1L << 20;
            case "GiB" -> 1L << 30;
            case "TiB" -> 1L << 40;
            case "kB", "KB" -> 1_000L;
            case "MB" -> 1_000_000L;
            case "GB" -> 1_000_000_000L;
            case "TB" -> 1_000_000_000_000L;
            default -> throw new IllegalArgumentException("'" + text + "' has an unknown unit '" + m.group(2)
                    + "'; use KiB, MiB, GiB (powers of 1024) or kB, MB, GB (powers of 1000)");
        };
        try {
            long size = Math.multiplyExact(Long.parseLong(m.group(1)), unit);
            if (size <= 0) {
                throw new IllegalArgumentException("'" + text + "' must be larger than zero");
            }
            return size;
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
    }

    /** {@code 120s}, {@code 5m}, {@code 1h30m}, {@code 500ms}. */
    static Duration duration(String text) {
        Matcher m = DURATION_PART.matcher(text);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            });
            end = m.end();
        }
        if (end == 0 || end != text.length()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration like 120s, 5m or 1h30m");
        }
        return total;
    }

    /** A permission mode written as a quoted octal string ("0644", "0755", "4755"). */
    static int mode(String text) {
        if (!MODE.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not an octal mode like \"0644\" or \"0755\"");
        }
        return Integer.parseInt(text, 8);
    }

    /** {@code uid:gid}, both numeric: names would need the image's passwd file at build time. */
    static int[] user(String text) {
        Matcher m = USER.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a numeric uid:gid like 1000:1000");
        }
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }

    /** A normalized absolute path inside the image. */
    static String imagePath(String text) {
        if (!text.startsWith("/")) {
            throw new IllegalArgumentException("'" + text + "' must be an absolute path in the image, like /" + text);
        }
        if (text.length() > 1 && (text.endsWith("/") || text.contains("//") || text.contains("/./")
                || text.contains("/../") || text.endsWith("/.") || text.endsWith("/..") || text.indexOf('\0') >= 0)) {
            throw new IllegalArgumentException("'" + text + "' must be a plain path without '.', '..', '//' or a trailing '/'");
        }
        return text;
    }
}
