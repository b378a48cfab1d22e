package io.fleetkit.station;

import io.fleetkit.flash.TargetKind;
import java.nio.file.Path;

/** A device (or file) the station writes, with its serial when sysfs knows one. */
public record StationTarget(Path path, TargetKind kind, String serial) {
}
