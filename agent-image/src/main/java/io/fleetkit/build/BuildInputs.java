package io.fleetkit.build;

import io.fleetkit.board.BoardProfile;
import io.fleetkit.debian.archive.ContentCache;
import io.fleetkit.events.EventSink;
import io.fleetkit.packages.PackageSources;
import io.fleetkit.spec.ImageSpec;
import java.time.Instant;

/**
 * What every step of one build may read, fixed before the first step runs. What a step makes for
 * later steps is its typed result, handed on by {@link ImageBuilder}, never a field set here.
 */
record BuildInputs(BuildRequest request, EventSink events, ImageSpec spec, BoardProfile board, DiskLayout layout,
                   PackageSources sources, ContentCache cache, Instant epoch, BuildOutputs outputs) {

    boolean wants(OutputFormat f) {
        return request.wants(f);
    }

    /** A deterministic 32-bit value for volume ids and disk signatures, from the image's name and version. */
    int stableId(String purpose) {
        return (spec.name() + "/" + spec.version() + "/" + purpose).hashCode();
    }
}
