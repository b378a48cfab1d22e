package io.fleetkit.ota.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * What a server answers to a request's {@code Range} header for a body of {@code size} bytes
 * (RFC 9110 section 14), decided once for the bundle server and the netboot server:
 *
 * <ul>
 * <li>no header, a unit other than {@code bytes} (compared case-insensitively), or text that is not
 *     the range grammar: the header is ignored and the whole body sent with 200 (14.2: a server MUST
 *     ignore a unit it does not understand and MAY ignore the field);
 * <li>a range whose last position is before its first is invalid (14.1.1); it is rejected with 416
 *     (14.2: "MAY ignore or reject"), as a client that sends one is broken;
 * <li>no satisfiable range (every first position at or past the end, or {@code bytes=-0}): 416;
 * <li>one satisfiable range: 206 with that range, its end clamped to the body;
 * <li>several ranges, some satisfiable: the whole body with 200, never multipart (14.2 allows it);
 * <li>an empty body: a non-zero suffix range is satisfiable (14.1.2) but no 206 can describe an
 *     empty range, so the (empty) body is sent whole.
 * </ul>
 * Positions too large for a {@code long} count as {@link Long#MAX_VALUE}: past any real body.
 */
public sealed interface HttpRange permits HttpRange.Whole, HttpRange.Partial, HttpRange.Unsatisfiable {

    /** Send the whole body, 200. */
    record Whole() implements HttpRange {
    }

    /** Send bytes {@code first..last} (inclusive), 206. */
    record Partial(long first, long last) implements HttpRange {

        public long length() {
            return last - first + 1;
        }

        public String contentRange(long size) {
            return "bytes " + first + "-" + last + "/" + size;
        }
    }

    /** Send 416 with {@link #contentRange}. */
    record Unsatisfiable() implements HttpRange {

        public String contentRange(long size) {
            return "bytes */" + size;
        }
    }

    static HttpRange decide(String header, long size) {
        if (header == null) {
            return new Whole();
        }
        String h = header.strip();
        int eq = h.indexOf('=');
        if (eq < 0 || !h.substring(0, eq).equalsIgnoreCase("bytes")) {
            return new Whole();
        }
        List<RangeSpec> specs = new ArrayList<>();
        for (String element : h.substring(eq + 1).split(",", -1)) {
            String spec = element.strip();
            if (spec.isEmpty()) {
                continue; // empty list elements are allowed and ignored (RFC 9110 section 5.6.1)
            }
            RangeSpec parsed = RangeSpec.parse(spec);
            if (parsed == null) {
                return new Whole();
            }
            specs.add(parsed);
        }
        if (specs.isEmpty()) {
            return new Whole();
        }
        if (specs.stream().anyMatch(RangeSpec::invalid)) {
            return new Unsatisfiable();
        }
        List<RangeSpec> satisfiable = specs.stream().filter(s -> s.satisfiable(size)).toList();
        if (satisfiable.isEmpty()) {
            return new Unsatisfiable();
        }
        if (specs.size() > 1 || size == 0) {
            return new Whole();
        }
        return satisfiable.get(0).resolve(size);
    }
}
