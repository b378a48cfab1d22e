package io.fleetkit.build;

import java.io.IOException;

/** One stage of the build pipeline, run in order by {@link ImageBuilder}. */
interface BuildStep {

    /** Short name for progress and timings, e.g. "packages". */
    String name();

    /** False when the outputs asked for do not need this step. */
    default boolean needed(BuildContext c) {
        return true;
    }

    void run(BuildContext c) throws IOException;
}
