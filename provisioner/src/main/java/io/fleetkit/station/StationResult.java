package io.fleetkit.station;

import java.nio.file.Path;

/** What the station did to one target; {@code error} is null when it was written and verified. */
public record StationResult(long recordId, String deviceId, Path target, long bytesWritten, String error) {

    public boolean ok() {
        return error == null;
    }
}
