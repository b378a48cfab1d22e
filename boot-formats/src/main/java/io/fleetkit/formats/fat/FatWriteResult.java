package io.fleetkit.formats.fat;

import io.fleetkit.formats.disk.ByteRange;

import java.util.List;

/**
 * What a write produced. {@code writtenRanges} are absolute offsets in the target channel
 * (merged, sorted); everything outside them was not touched and may stay a hole.
 */
public record FatWriteResult(FatGeometry geometry, List<ByteRange> writtenRanges,
                             long usedClusters, long freeClusters) {

    public FatWriteResult {
        writtenRanges = List.copyOf(writtenRanges);
    }
}
