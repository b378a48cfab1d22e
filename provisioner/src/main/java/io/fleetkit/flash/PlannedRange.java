package io.fleetkit.flash;

/** A mapped range of the image: bytes {@code [offset, offset+length)} and the bmap's checksum (hex, may be null). */
public record PlannedRange(long offset, long length, String checksum) {

    public long end() {
        return offset + length;
    }
}
