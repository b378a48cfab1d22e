package io.fleetkit.build;

import io.fleetkit.events.FleetkitException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The monotonic number a device compares for anti-rollback, from a version string:
 * {@code major·10^12 + minor·10^8 + patch·10^4 + stage}. A release has stage 9999; a pre-release
 * sorts before it: {@code alpha<n>} 1000+n, {@code beta<n>} 3000+n, {@code rc<n>} 6000+n, other
 * labels 100+n. So 2.1.0-rc1 &lt; 2.1.0 &lt; 2.1.1.
 */
public final class VersionNumber {

    private static final Pattern VERSION = Pattern.compile("(\\d{1,4})\\.(\\d{1,4})\\.(\\d{1,4})(?:-([a-z]*)\\.?(\\d{0,3}))?");

    private VersionNumber() {
    }

    public static long of(String version) {
        Matcher m = VERSION.matcher(version);
        if (!m.matches()) {
            throw new FleetkitException("build.bad-version", "version '" + version
                    + "' is not MAJOR.MINOR.PATCH[-LABEL[N]] with numbers below 10000",
                    "use a version such as 1.0.0 or 2.1.0-rc1");
        }
        long n = Long.parseLong(m.group(1)) * 1_000_000_000_000L + Long.parseLong(m.group(2)) * 100_000_000L
                + Long.parseLong(m.group(3)) * 10_000L;
        if (m.group(4) == null) {
            return n + 9999;
        }
        long seq = m.group(5).isEmpty() ? 0 : Long.parseLong(m.group(5));
        long base = switch (m.group(4)) {
            case "alpha" -> 1000;
            case "beta" -> 3000;
            case "rc" -> 6000;
            default -> 100;
        };
        return n + base + seq;
    }
}
