package io.fleetkit.ota.server;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Waits for a condition that asynchronous parts (broker, server, devices) bring about; fails with {@code what} after a generous deadline. */
final class Await {

    private Await() {
    }

    static void until(String what, Duration deadline, Callable<Boolean> condition) throws Exception {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("gave up waiting after " + deadline + " for: " + what);
            }
            Thread.sleep(20);
        }
    }
}
