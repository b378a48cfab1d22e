package io.fleetkit.build;

import java.io.IOException;

/**
 * One stage of the build pipeline. A step is constructed with exactly the values it needs (the
 * build's {@link BuildInputs} and earlier steps' results) and returns its own typed result, so a
 * missing input is a wiring error in {@link ImageBuilder}, not a null deep inside a step.
 *
 * @param <T> what the step makes for later steps
 */
interface BuildStep<T> {

    /** Short name for progress and timings, e.g. "packages". */
    String name();

    T run() throws IOException;
}
