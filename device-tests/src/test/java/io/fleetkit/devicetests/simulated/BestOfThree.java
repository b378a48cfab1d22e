package io.fleetkit.devicetests.simulated;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * How every throughput in the OTA benchmark is taken, ours and the one it is compared with alike:
 * one warm-up run, then the best of three (one 64 MiB pass takes 50–250 ms, so a single cold run
 * mostly measures the JIT).
 */
final class BestOfThree {

    /** One run of a measurement. */
    @FunctionalInterface
    interface Run<T> {
        T run() throws Exception;
    }

    private BestOfThree() {
    }

    /** The best of three rates in MiB/s. */
    static double rate(Run<Double> run) throws Exception {
        return of(run, r -> r);
    }

    /** The result of the three runs that scores highest. */
    static <T> T of(Run<T> run, ToDoubleFunction<T> score) throws Exception {
        return interleaved(List.of(run), score).get(0);
    }

    /**
     * Several measurements to be compared with each other, taken in turns: a warm-up round, then
     * three rounds in which each runs once; the best result of each. A slow spell of the machine
     * (its disk is another machine's file) then falls on all of them alike instead of on whichever
     * happened to run during it.
     */
    static <T> List<T> interleaved(List<Run<T>> runs, ToDoubleFunction<T> score) throws Exception {
        for (Run<T> run : runs) {
            run.run();
        }
        List<T> best = new ArrayList<>(Collections.nCopies(runs.size(), null));
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < runs.size(); i++) {
                T r = runs.get(i).run();
                if (best.get(i) == null || score.applyAsDouble(r) > score.applyAsDouble(best.get(i))) {
                    best.set(i, r);
                }
            }
        }
        return best;
    }
}
