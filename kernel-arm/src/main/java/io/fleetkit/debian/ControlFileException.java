package io.fleetkit.debian;

import io.fleetkit.events.FleetkitException;

/** A control file (Packages, Release, control) that does not parse. */
public final class ControlFileException extends FleetkitException {

    public ControlFileException(String message) {
        super("debian.control-syntax", message, "the archive file is damaged or not a Debian control file; check the mirror");
    }
}
