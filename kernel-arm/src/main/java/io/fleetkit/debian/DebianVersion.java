package io.fleetkit.debian;

import io.fleetkit.events.FleetkitException;

/**
 * A Debian package version {@code [epoch:]upstream[-revision]}, ordered exactly as dpkg orders
 * them (lib/dpkg/version.c verrevcmp): '~' sorts before everything, even the end of the string;
 * letters sort before other characters; digit runs compare as numbers. Equality follows the
 * ordering, so "1.0" equals "0:1.0" and "1.00".
 */
public final class DebianVersion implements Comparable<DebianVersion> {

    private final int epoch;
    private final String upstream;
    private final String revision;   // "" when absent
    private final String text;
    private int hash;   // 0 until hashCode() first runs (like String's)

    private DebianVersion(int epoch, String upstream, String revision, String text) {
        this.epoch = epoch;
        this.upstream = upstream;
        this.revision = revision;
        this.text = text;
    }

    /** Parses a version, rejecting anything dpkg would reject, with a message naming the value. */
    public static DebianVersion parse(String s) {
        if (s == null || s.isEmpty()) {
            throw invalid(String.valueOf(s), "it is empty");
        }
        String v = s.strip();
        if (v.isEmpty() || !v.equals(s) || v.chars().anyMatch(Character::isWhitespace)) {
            throw invalid(s, "it contains white space");
        }
        int epoch = 0;
        String rest = v;
        int colon = v.indexOf(':');
        if (colon >= 0) {
            String e = v.substring(0, colon);
            if (e.isEmpty() || !e.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw invalid(s, "the epoch '" + e + "' is not a number");
            }
            if (e.length() > 9) {
                throw invalid(s, "the epoch is too large");
            }
            epoch = Integer.parseInt(e);
            rest = v.substring(colon + 1);
        }
        String upstream = rest;
        String revision = "";
        int dash = rest.lastIndexOf('-');
        if (dash >= 0) {
            upstream = rest.substring(0, dash);
            revision = rest.substring(dash + 1);
            if (revision.isEmpty()) {
                throw invalid(s, "the revision after '-' is empty");
            }
        }
        if (upstream.isEmpty()) {
            throw invalid(s, "the upstream version is empty");
        }
        if (!isDigit(upstream.charAt(0))) {
            throw invalid(s, "the upstream version must start with a digit");
        }
        for (char c : upstream.toCharArray()) {
            if (!isAsciiAlnum(c) && ".+~-".indexOf(c) < 0) {
                throw invalid(s, "character '" + c + "' is not allowed in the upstream version");
            }
        }
        for (char c : revision.toCharArray()) {
            if (!isAsciiAlnum(c) && ".+~".indexOf(c) < 0) {
                throw invalid(s, "character '" + c + "' is not allowed in the revision");
            }
        }
        return new DebianVersion(epoch, upstream, revision, v);
    }

    public int epoch() {
        return epoch;
    }

    public String upstream() {
        return upstream;
    }

    /** The Debian revision, "" when the version has none. */
    public String revision() {
        return revision;
    }

    @Override
    public int compareTo(DebianVersion o) {
        if (epoch != o.epoch) {
            return Integer.compare(epoch, o.epoch);
        }
        int c = verrevcmp(upstream, o.upstream);
        return c != 0 ? c : verrevcmp(revision, o.revision);
    }

    /** dpkg's verrevcmp; character 0 stands for "end of string". */
    static int verrevcmp(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() || j < b.length()) {
            while ((i < a.length() && !isDigit(a.charAt(i))) || (j < b.length() && !isDigit(b.charAt(j)))) {
                int ac = order(charAt(a, i));
                int bc = order(charAt(b, j));
                if (ac != bc) {
                    return Integer.signum(ac - bc);
                }
                i++;
                j++;
            }
            while (i < a.length() && a.charAt(i) == '0') {
                i++;
            }
            while (j < b.length() && b.charAt(j) == '0') {
                j++;
            }
            int firstDiff = 0;
            while (i < a.length() && isDigit(a.charAt(i)) && j < b.length() && isDigit(b.charAt(j))) {
                if (firstDiff == 0) {
                    firstDiff = a.charAt(i) - b.charAt(j);
                }
                i++;
                j++;
            }
            if (i < a.length() && isDigit(a.charAt(i))) {
                return 1;
            }
            if (j < b.length() && isDigit(b.charAt(j))) {
                return -1;
            }
            if (firstDiff != 0) {
                return Integer.signum(firstDiff);
            }
        }
        return 0;
    }

    private static char charAt(String s, int i) {
        return i < s.length() ? s.charAt(i) : 0;
    }

    private static int order(char c) {
        if (isDigit(c)) {
            return 0;
        } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
            return c;
        } else if (c == '~') {
            return -1;
        } else if (c != 0) {
            return c + 256;
        }
        return 0;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAsciiAlnum(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static FleetkitException invalid(String value, String why) {
        return new FleetkitException("debian.invalid-version",
                "invalid Debian version '" + value + "': " + why,
                "versions look like [epoch:]upstream[-revision], e.g. 1:1.36.1-9+b1");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DebianVersion d && compareTo(d) == 0;
    }

    /**
     * Consistent with {@link #compareTo}: leading zeros of digit runs do not count. The value is
     * the one {@code Objects.hash(epoch, canonical(upstream), canonical(revision))} gave, where
     * canonical drops those zeros, computed without building strings and kept: an index of 60k
     * packages hashes versions millions of times while sharing relations.
     */
    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = 31 * (31 * (31 + epoch) + canonicalHash(upstream)) + canonicalHash(revision);
            hash = h;
        }
        return h;
    }

    /** {@code String.hashCode} of {@code s} with the leading zeros of each digit run left out. */
    private static int canonicalHash(String s) {
        int h = 0;
        boolean inLeadingZeros = false;
        boolean previousDigit = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean digit = isDigit(c);
            if (digit && !previousDigit) {
                inLeadingZeros = true;   // a digit run starts
            }
            if (digit && inLeadingZeros && c == '0') {
                previousDigit = true;
                continue;
            }
            inLeadingZeros = false;
            previousDigit = digit;
            h = 31 * h + c;
        }
        return h;
    }

    /** The version as written. */
    @Override
    public String toString() {
        return text;
    }
}
