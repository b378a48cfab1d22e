package io.fleetkit.formats.bmap;

/** Blocks {@code first} to {@code last}, both inclusive, as a bmap's {@code <Range>} has them. */
public record BlockRange(long first, long last) {

    public BlockRange {
        if (first < 0 || last < first) {
            throw new IllegalArgumentException("bad block range " + first + "-" + last);
        }
    }

    public long count() {
        return last - first + 1;
    }
}
