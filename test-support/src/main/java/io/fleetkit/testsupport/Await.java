package io.fleetkit.testsupport;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits for what asynchronous parts (brokers, servers, devices) bring about, polling a condition
 * until it holds or a generous bound passes. The bound is a safety net, not a timing assertion; the
 * failure names what was awaited and how things last stood, so a timeout can be read without a rerun.
 */
public final class Await {

    private static final long POLL_MILLIS = 50;

    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    @FunctionalInterface
    public interface Probe<T> {
        T look() throws Exception;
    }

    private Await() {
    }

    public static void until(String what, Duration max, Condition condition) throws Exception {
        until(what, max, condition, () -> "the condition was still false");
    }

    /** {@code state} describes how things stand; it is asked once, when the wait gives up. */
    public static void until(String what, Duration max, Condition condition, Supplier<String> state) throws Exception {
        long end = System.nanoTime() + max.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > end) {
                throw gaveUp(what, max, state.get());
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /** Looks until what {@code probe} sees satisfies {@code done}, and returns it; a timeout reports the last look. */
    public static <T> T untilMatches(String what, Duration max, Probe<T> probe, Predicate<? super T> done) throws Exception {
        long end = System.nanoTime() + max.toNanos();
        while (true) {
            T seen = probe.look();
            if (done.test(seen)) {
                return seen;
            }
            if (System.nanoTime() > end) {
                throw gaveUp(what, max, String.valueOf(seen));
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    private static AssertionError gaveUp(String what, Duration max, String lastSeen) {
        String bound = max.toMillis() % 1000 == 0 ? max.toSeconds() + " s" : max.toMillis() + " ms";
        return new AssertionError("gave up after " + bound + " waiting for " + what + "; last seen: " + lastSeen);
    }
}
