package io.fleetkit.ota.mqtt;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** One daemon thread that runs the keep-alive checks of every connection in the JVM, so a thousand clients cost one thread here. */
final class KeepAlive {

    private static final ScheduledThreadPoolExecutor SCHEDULER = scheduler();

    private KeepAlive() {
    }

    private static ScheduledThreadPoolExecutor scheduler() {
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "mqtt-keepalive");
            t.setDaemon(true);
            return t;
        });
        s.setRemoveOnCancelPolicy(true);
        return s;
    }

    /** Runs {@code check} every {@code periodMillis} until the returned future is cancelled. */
    static ScheduledFuture<?> every(long periodMillis, Runnable check) {
        return SCHEDULER.scheduleWithFixedDelay(check, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }
}
