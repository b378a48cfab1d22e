package io.fleetkit.netboot.http;

import java.util.Optional;

/**
 * A single-range {@code Range} header (RFC 9110 section 14.1.2) resolved against a file size:
 * {@code bytes=a-b}, {@code bytes=a-}, {@code bytes=-n}. Several ranges are not served as
 * multipart; the whole file is sent instead, which the RFC allows.
 */
public record ByteRangeRequest(long first, long last) {

    /** What to do with a request's Range header. */
    public sealed interface Decision permits Whole, Partial, Unsatisfiable {
    }

    public record Whole() implements Decision {
    }

    public record Partial(ByteRangeRequest range) implements Decision {
    }

    public record Unsatisfiable() implements Decision {
    }

    public long length() {
        return last - first + 1;
    }

    public static Decision decide(String header, long size) {
        if (header == null) {
            return new Whole();
        }
        String h = header.strip();
        if (!h.regionMatches(true, 0, "bytes=", 0, 6) || h.indexOf(',') >= 0) {
            return new Whole();
        }
        String spec = h.substring(6).strip();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return new Whole();
        }
        Optional<Long> a = number(spec.substring(0, dash).strip());
        Optional<Long> b = number(spec.substring(dash + 1).strip());
        String left = spec.substring(0, dash).strip();
        String right = spec.substring(dash + 1).strip();
        if (left.isEmpty()) {
            if (b.isEmpty() || b.get() == 0) {
                return b.isEmpty() ? new Whole() : new Unsatisfiable();
            }
            return size == 0 ? new Unsatisfiable()
                    : new Partial(new ByteRangeRequest(Math.max(0, size - b.get()), size - 1));
        }
        if (a.isEmpty() || !right.isEmpty() && b.isEmpty() || b.isPresent() && b.get() < a.get()) {
            return new Whole(); // syntactically invalid: ignore the header
        }
        if (a.get() >= size) {
            return new Unsatisfiable();
        }
        long last = b.map(v -> Math.min(v, size - 1)).orElse(size - 1);
        return new Partial(new ByteRangeRequest(a.get(), last));
    }

    private static Optional<Long> number(String s) {
        if (s.isEmpty() || s.length() > 18 || !s.chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(s));
    }
}
