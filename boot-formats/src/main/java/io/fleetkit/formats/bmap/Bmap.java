package io.fleetkit.formats.bmap;

import java.util.List;

/** A block map: which blocks of an image carry data, and their checksums. */
public record Bmap(String version, long imageSize, int blockSize, long blocksCount, long mappedBlocksCount,
                   String checksumType, List<BmapRange> ranges) {

    public Bmap {
        ranges = List.copyOf(ranges);
    }

    public long mappedBytes() {
        long bytes = 0;
        for (BmapRange r : ranges) {
            bytes += Math.min(imageSize, (r.last() + 1) * blockSize) - r.first() * blockSize;
        }
        return bytes;
    }
}
