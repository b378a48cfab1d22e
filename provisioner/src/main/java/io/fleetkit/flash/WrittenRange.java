package io.fleetkit.flash;

import java.util.HexFormat;

/** A range written to the target and the SHA-256 its bytes must read back with. */
public record WrittenRange(long offset, long length, byte[] sha256) {

    public long end() {
        return offset + length;
    }

    public String sha256Hex() {
        return HexFormat.of().formatHex(sha256);
    }
}
