package io.fleetkit.devicetests.simulated;

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
        run.run();
        T best = null;
        for (int i = 0; i < 3; i++) {
            T r = run.run();
            if (best == null || score.applyAsDouble(r) > score.applyAsDouble(best)) {
                best = r;
            }
        }
        return best;
    }
}
