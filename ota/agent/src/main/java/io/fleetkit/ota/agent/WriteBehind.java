package io.fleetkit.ota.agent;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@link SlotWriter}'s storage work in order on a thread of its own, so the agent verifies
 * the next chunk while the storage takes this one (on a small board hashing and writing each take
 * about as long as the other; one after the other, an install ran at half the speed of a plain
 * write). At most {@code limit} bytes of chunks wait in memory (at least one chunk, however big), so
 * a slow card slows the caller instead of filling the heap. The first failure is kept: later tasks are skipped and the
 * caller gets it on its next call. The thread ends after a few idle seconds, so a writer abandoned
 * by a power-cut agent leaves no thread behind.
 */
final class WriteBehind {

    /** Storage work. */
    interface Io {
        void run() throws IOException;
    }

    private final ThreadPoolExecutor thread;
    private final Semaphore room;
    private final int limit;
    private volatile IOException failure;

    WriteBehind(String name, int limit) {
        this.thread = new ThreadPoolExecutor(1, 1, 3, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        this.thread.allowCoreThreadTimeOut(true);
        this.room = new Semaphore(limit);
        this.limit = limit;
    }

    /** Queues {@code io}, which holds no data, behind everything queued before. */
    Future<?> submit(Io io) throws IOException {
        return submit(io, 0);
    }

    /** Queues {@code io}, which holds {@code bytes} of data until it is done; waits while that would pass the limit. */
    Future<?> submit(Io io, int bytes) throws IOException {
        check();
        int permits = Math.min(bytes, limit);
        try {
            room.acquire(permits);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for the storage");
        }
        try {
            return thread.submit(() -> {
                try {
                    if (failure == null) {
                        io.run();
                    }
                } catch (IOException e) {
                    failure = e;
                } catch (RuntimeException e) {
                    failure = new IOException(e.toString(), e);
                } finally {
                    room.release(permits);
                }
                return null;
            });
        } catch (RejectedExecutionException e) {
            room.release(permits);
            throw new IOException("the storage thread is stopped", e);
        }
    }

    /** Waits for {@code f} (a task of this queue), then reports any failure so far. */
    void await(Future<?> f) throws IOException {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for the storage");
        } catch (ExecutionException e) {
            throw new IOException(e.getCause().toString(), e.getCause());
        }
        check();
    }

    /** Waits until everything queued so far is done. */
    void drain() throws IOException {
        await(submit(() -> { }));
    }

    /** The first failure, or null. */
    IOException failure() {
        return failure;
    }

    /** Throws the first failure, if any. */
    void check() throws IOException {
        IOException e = failure;
        if (e != null) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** Stops at once: queued work is dropped, running work interrupted; waits until the thread has ended. */
    void abandon() throws InterruptedIOException {
        thread.shutdownNow();
        awaitEnd(10, TimeUnit.SECONDS, "the storage thread did not stop within 10 s");
    }

    /** Stops the thread once the work queued so far is done (or skipped after a failure); a failure is not thrown again. */
    void stop() throws InterruptedIOException {
        thread.shutdown();
        awaitEnd(10, TimeUnit.MINUTES, "the storage did not finish the queued writes in 10 minutes");
    }

    private void awaitEnd(long time, TimeUnit unit, String tooLong) throws InterruptedIOException {
        try {
            if (!thread.awaitTermination(time, unit)) {
                throw new InterruptedIOException(tooLong);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for the storage");
        }
    }
}
