package io.fleetkit.ota.server.devices;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One byte range of an HTTP {@code Range} header ({@code bytes=a-b}, {@code bytes=a-},
 * {@code bytes=-n}), resolved against a file's size. Several ranges in one header are not
 * offered: devices ask for one.
 */
record ByteRange(long first, long last) {

    private static final Pattern SINGLE = Pattern.compile("bytes=(\\d{0,18})-(\\d{0,18})");

    long length() {
        return last - first + 1;
    }

    /** The whole file when there is no header; empty when the range cannot be satisfied (416). */
    static Optional<ByteRange> parse(String header, long size) {
        if (header == null) {
            return size == 0 ? Optional.empty() : Optional.of(new ByteRange(0, size - 1));
        }
        Matcher m = SINGLE.matcher(header.strip());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return Optional.empty();
        }
        long first;
        long last;
        if (m.group(1).isEmpty()) {
            long suffix = Long.parseLong(m.group(2));
            first = Math.max(0, size - suffix);
            last = size - 1;
        } else {
            first = Long.parseLong(m.group(1));
            last = m.group(2).isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(m.group(2)));
        }
        if (first > last || first >= size) {
            return Optional.empty();
        }
        return Optional.of(new ByteRange(first, last));
    }
}
