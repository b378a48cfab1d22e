package io.fleetkit.ota.server.rollout;

import io.fleetkit.events.UsageException;
import java.time.Duration;
import java.util.Locale;

/** The text forms of a rollout's options, as `fleet rollout` and the API take them: shares ({@code 20%}, {@code 0.2}) and durations ({@code 30m}). */
public final class RolloutText {

    private RolloutText() {
    }

    /** A share 0..1 from {@code 20%} or {@code 0.2}. */
    public static double share(String s) {
        try {
            String t = s.trim();
            double v = t.endsWith("%") ? Double.parseDouble(t.substring(0, t.length() - 1)) / 100 : Double.parseDouble(t);
            if (v >= 0 && v <= 1) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new UsageException("rollout.bad-max-failures", "max failures " + s + " is not a share like 20% or 0.2", null);
    }

    /** A duration from {@code 90s}, {@code 30m}, {@code 2h}, {@code 1d} or ISO-8601 ({@code PT30M}). */
    public static Duration duration(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("p")) {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            }
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            switch (t.charAt(t.length() - 1)) {
                case 's': return Duration.ofSeconds(n);
                case 'm': return Duration.ofMinutes(n);
                case 'h': return Duration.ofHours(n);
                case 'd': return Duration.ofDays(n);
                default: break;
            }
        } catch (RuntimeException ignored) {
            // reported below
        }
        throw new UsageException("rollout.bad-timeout", "timeout " + s + " is not a duration like 90s, 30m, 2h", null);
    }
}
