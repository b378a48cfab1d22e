package io.fleetkit.formats.disk;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A run of bytes in an image, {@code offset} inclusive, {@code length} bytes long. Writers
 * report what they wrote this way, so the bmap lists exactly the bytes that carry data.
 */
public record ByteRange(long offset, long length) {

    public ByteRange {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("bad range " + offset + "+" + length);
        }
    }

    public long end() {
        return offset + length;
    }

    public ByteRange shift(long by) {
        return new ByteRange(offset + by, length);
    }

    /** Sorts and joins touching or overlapping ranges; empty ranges are dropped. */
    public static List<ByteRange> merge(List<ByteRange> ranges) {
        List<ByteRange> sorted = new ArrayList<>(ranges);
        sorted.removeIf(r -> r.length == 0);
        sorted.sort(Comparator.comparingLong(ByteRange::offset));
        List<ByteRange> out = new ArrayList<>();
        for (ByteRange r : sorted) {
            if (!out.isEmpty() && out.get(out.size() - 1).end() >= r.offset) {
                ByteRange last = out.remove(out.size() - 1);
                out.add(new ByteRange(last.offset, Math.max(last.end(), r.end()) - last.offset));
            } else {
                out.add(r);
            }
        }
        return out;
    }
}
