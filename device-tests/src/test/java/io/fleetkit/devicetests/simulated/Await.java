package io.fleetkit.devicetests.simulated;

import java.time.Duration;
import java.util.function.Supplier;

/** Polls a condition until it holds or a generous bound passes; the failure says what was awaited and how things stood. */
final class Await {

    @FunctionalInterface
    interface Condition {
        boolean holds() throws Exception;
    }

    private Await() {
    }

    static void until(String what, Duration max, Condition condition) throws Exception {
        until(what, max, condition, () -> "");
    }

    static void until(String what, Duration max, Condition condition, Supplier<String> diagnostics) throws Exception {
        long end = System.nanoTime() + max.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("gave up after " + max.toSeconds() + " s waiting for " + what + "\n" + diagnostics.get());
            }
            Thread.sleep(50);
        }
    }
}
