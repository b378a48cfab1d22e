package io.fleetkit.debian.archive;

import io.fleetkit.events.FleetkitException;

import java.util.List;

/** Offline mode needed files that the cache does not hold; {@link #missing()} lists each one. */
public final class OfflineMissingException extends FleetkitException {

    private final List<String> missing;

    public OfflineMissingException(List<String> missing) {
        super("debian.offline-missing", "offline mode, and the cache lacks " + missing.size() + " file(s): "
                        + String.join(", ", missing),
                "run the same command once without --offline to fill the cache");
        this.missing = List.copyOf(missing);
    }

    public List<String> missing() {
        return missing;
    }
}
