package io.fleetkit.ota.server.broker;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * What one broker session may have published and not yet had acknowledged: at most {@code messages}
 * messages and {@code bytes} bytes of payload. The byte bound is what keeps the server's heap in
 * check during a big rollout: a thousand 1 MiB chunks in flight would be a gigabyte (twice that,
 * as Paho keeps a serialized copy of each QoS 1 message until its PUBACK).
 */
final class PublishWindow {

    /** Room taken by one publish; give it back exactly once. */
    interface Room {
        void release();
    }

    private static final int KIB = 1024;

    private final Semaphore messages;
    private final Semaphore kibibytes;
    private final int maxKib;

    PublishWindow(int messages, long bytes) {
        this.messages = new Semaphore(messages);
        this.maxKib = (int) Math.max(1, bytes / KIB);
        this.kibibytes = new Semaphore(maxKib);
    }

    /**
     * Waits for room for a payload of {@code length} bytes (a payload larger than the whole window
     * takes all of it), for at most {@code millis}, and while {@code live} holds; null if it gave up.
     */
    Room acquire(int length, long millis, BooleanSupplier live) throws InterruptedException {
        int kib = (int) Math.min(maxKib, Math.max(1, ((long) length + KIB - 1) / KIB));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        if (!await(messages, 1, deadline, live)) {
            return null;
        }
        if (!await(kibibytes, kib, deadline, live)) {
            messages.release();
            return null;
        }
        return new Room() {
            private boolean released;

            @Override
            public synchronized void release() {
                if (!released) {
                    released = true;
                    kibibytes.release(kib);
                    messages.release();
                }
            }
        };
    }

    private static boolean await(Semaphore s, int permits, long deadline, BooleanSupplier live) throws InterruptedException {
        // in short steps, so a waiter on a session that was lost (whose permits never come back) stops soon
        while (!s.tryAcquire(permits, 200, TimeUnit.MILLISECONDS)) {
            if (!live.getAsBoolean() || System.nanoTime() - deadline > 0) {
                return false;
            }
        }
        return true;
    }
}
