package io.fleetkit.formats.bmap;

/** A mapped block range with its checksum (hex), which may be null in old bmap versions. */
public record BmapRange(long first, long last, String checksum) {

    public long count() {
        return last - first + 1;
    }
}
