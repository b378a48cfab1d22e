package io.fleetkit.flash;

import io.fleetkit.formats.bmap.Bmap;
import io.fleetkit.formats.bmap.BmapRange;
import java.util.ArrayList;
import java.util.List;

/**
 * What to copy from the image: the bmap's mapped ranges with their checksums, or (without a
 * bmap) the whole stream. {@code imageSize} is -1 when unknown (a compressed image without bmap).
 */
public record FlashPlan(long imageSize, List<PlannedRange> ranges, boolean wholeImage, String checksumType) {

    public FlashPlan {
        ranges = List.copyOf(ranges);
    }

    public static FlashPlan of(Bmap bmap) {
        List<PlannedRange> out = new ArrayList<>();
        for (BmapRange r : bmap.ranges()) {
            long from = r.first() * bmap.blockSize();
            long to = Math.min(bmap.imageSize(), (r.last() + 1) * bmap.blockSize());
            out.add(new PlannedRange(from, to - from, r.checksum()));
        }
        return new FlashPlan(bmap.imageSize(), out, false, bmap.checksumType());
    }

    public static FlashPlan whole(long imageSize) {
        return new FlashPlan(imageSize, List.of(), true, null);
    }

    /** Bytes that will be written (the image size without a bmap; -1 when that is unknown). */
    public long bytesToWrite() {
        return wholeImage ? imageSize : ranges.stream().mapToLong(PlannedRange::length).sum();
    }
}
