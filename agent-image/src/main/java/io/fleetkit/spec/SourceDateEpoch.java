package io.fleetkit.spec;

import io.fleetkit.events.FleetkitException;
import java.time.Instant;
import java.util.Map;

/**
 * The one timestamp every file in a build carries, so equal inputs give equal bytes.
 * Taken from, in order: the {@code SOURCE_DATE_EPOCH} environment variable
 * (reproducible-builds.org), the spec's {@code source_date_epoch}, else {@link #DEFAULT}.
 */
public final class SourceDateEpoch {

    /**
     * 1980-01-01T00:00:00Z: the earliest time FAT (and zip) can record, so every output format
     * holds it exactly. Used when nothing else is given; it says "built from these inputs",
     * not "built at this moment".
     */
    public static final long DEFAULT = 315_532_800L;

    /** Earlier times cannot be written to the FAT slot partitions. */
    public static final long MINIMUM = DEFAULT;

    private SourceDateEpoch() {
    }

    /** The build time for {@code spec}, from the process environment. */
    public static Instant of(ImageSpec spec) {
        return of(spec, System.getenv());
    }

    /**
     * The build time for {@code spec} given an environment.
     *
     * @throws FleetkitException {@code spec.source-date-epoch} if the variable is not a number of
     *         seconds from 1980 on
     */
    public static Instant of(ImageSpec spec, Map<String, String> env) {
        String fromEnv = env.get("SOURCE_DATE_EPOCH");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Instant.ofEpochSecond(parse(fromEnv.trim()));
        }
        return Instant.ofEpochSecond(spec.sourceDateEpoch().orElse(DEFAULT));
    }

    private static long parse(String text) {
        try {
            long seconds = Long.parseLong(text);
            if (seconds >= MINIMUM && seconds <= Integer.MAX_VALUE) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new FleetkitException("spec.source-date-epoch",
                "SOURCE_DATE_EPOCH='" + text + "' is not a number of seconds since 1970 between "
                        + MINIMUM + " (1980-01-01, the earliest FAT time) and " + Integer.MAX_VALUE,
                "unset SOURCE_DATE_EPOCH or set it to e.g. $(git log -1 --format=%ct)");
    }
}
