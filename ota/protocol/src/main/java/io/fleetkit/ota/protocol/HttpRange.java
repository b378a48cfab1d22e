package io.fleetkit.ota.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
 *
 * @param status 200, 206 or 416
 * @param first offset of the first byte to send
 * @param length how many bytes to send (0 with 416)
 * @param contentRange the {@code Content-Range} header to send with 206 and 416
 */
public record HttpRange(int status, long first, long length, Optional<String> contentRange) {

    public static HttpRange whole(long size) {
        return new HttpRange(200, 0, size, Optional.empty());
    }

    /** Bytes {@code first..last}, inclusive. */
    public static HttpRange partial(long first, long last, long size) {
        return new HttpRange(206, first, last - first + 1, Optional.of("bytes " + first + "-" + last + "/" + size));
    }

    public static HttpRange unsatisfiable(long size) {
        return new HttpRange(416, 0, 0, Optional.of("bytes */" + size));
    }

    public static HttpRange decide(String header, long size) {
        if (header == null) {
            return whole(size);
        }
        String h = header.strip();
        int eq = h.indexOf('=');
        if (eq < 0 || !h.substring(0, eq).equalsIgnoreCase("bytes")) {
            return whole(size);
        }
        List<RangeSpec> specs = new ArrayList<>();
        for (String element : h.substring(eq + 1).split(",", -1)) {
            String spec = element.strip();
            if (spec.isEmpty()) {
                continue; // empty list elements are allowed and ignored (RFC 9110 section 5.6.1)
            }
            RangeSpec parsed = RangeSpec.parse(spec);
            if (parsed == null) {
                return whole(size);
            }
            specs.add(parsed);
        }
        if (specs.isEmpty()) {
            return whole(size);
        }
        if (specs.stream().anyMatch(RangeSpec::invalid)) {
            return unsatisfiable(size);
        }
        List<RangeSpec> satisfiable = specs.stream().filter(s -> s.satisfiable(size)).toList();
        if (satisfiable.isEmpty()) {
            return unsatisfiable(size);
        }
        if (specs.size() > 1 || size == 0) {
            return whole(size);
        }
        return satisfiable.get(0).resolve(size);
    }
}
