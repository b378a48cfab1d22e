package io.fleetkit.ota.protocol;

/**
 * One range-spec of a {@code Range} header (RFC 9110 section 14.1.1): {@code first-last},
 * {@code first-} ({@code last} absent: {@code -1}) or a suffix {@code -length}.
 */
record RangeSpec(long first, long last, long suffixLength) {

    private static final long ABSENT = -1;

    /** The spec, or null when the text is not the grammar (digits only, no signs or spaces). */
    static RangeSpec parse(String spec) {
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        long left = digits(spec.substring(0, dash));
        long right = digits(spec.substring(dash + 1));
        if (dash == 0) {
            return right == ABSENT ? null : new RangeSpec(ABSENT, ABSENT, right);
        }
        if (left == ABSENT || (right == ABSENT && dash + 1 < spec.length())) {
            return null;
        }
        return new RangeSpec(left, right, ABSENT);
    }

    /** A last position before the first (14.1.1). */
    boolean invalid() {
        return suffixLength == ABSENT && last != ABSENT && last < first;
    }

    /** 14.1.2: a first position inside the body, or a non-zero suffix. */
    boolean satisfiable(long size) {
        return suffixLength == ABSENT ? first < size : suffixLength > 0;
    }

    /** The bytes this spec selects from a non-empty body it is satisfiable for. */
    HttpRange resolve(long size) {
        if (suffixLength != ABSENT) {
            return HttpRange.partial(Math.max(0, size - suffixLength), size - 1, size);
        }
        return HttpRange.partial(first, last == ABSENT ? size - 1 : Math.min(last, size - 1), size);
    }

    /** 1*DIGIT as a number, saturated at {@link Long#MAX_VALUE}; {@link #ABSENT} when not digits. */
    private static long digits(String s) {
        if (s.isEmpty()) {
            return ABSENT;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return ABSENT;
            }
            v = v > (Long.MAX_VALUE - (c - '0')) / 10 ? Long.MAX_VALUE : v * 10 + (c - '0');
        }
        return v;
    }
}
