package io.fleetkit.flash;

import io.fleetkit.events.FleetkitException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Hands each chunk of one reading pass to several targets, each written by its own thread from
 * a bounded queue: memory stays bounded and decoding overlaps writing. A target whose writer
 * fails is dropped and the others go on. Healthy targets move at the pace of the slowest (that is
 * the price of reading the image once); one that accepts nothing for {@code stallTimeout} is
 * dropped as stalled so it cannot hold the others up.
 */
public final class FanOut implements ChunkConsumer {

    private static final Object END = new Object();

    private final List<Lane> lanes = new ArrayList<>();
    private final long stallNanos;

    /** One target's queue and writer thread. */
    public static final class Lane {
        private final String name;
        private final ChunkConsumer target;
        private final BlockingQueue<Object> queue;
        private final Thread thread;
        private volatile Throwable failure;
        private volatile boolean stopped;

        private Lane(String name, ChunkConsumer target, int capacity) {
            this.name = name;
            this.target = target;
            this.queue = new ArrayBlockingQueue<>(capacity);
            this.thread = new Thread(this::drain, "write " + name);
            this.thread.setDaemon(true);
        }

        public String name() {
            return name;
        }

        /** Why this target was dropped, or null while it is healthy. */
        public Throwable failure() {
            return failure;
        }

        private void drain() {
            try {
                while (true) {
                    Object item = queue.take();
                    if (item == END) {
                        target.finish();
                        return;
                    }
                    target.accept((Chunk) item);
                }
            } catch (IOException | RuntimeException e) {
                fail(e);
            } catch (InterruptedException e) {
                fail(new IOException("writer of " + name + " was interrupted"));
            } finally {
                stopped = true;
                queue.clear();
            }
        }

        private void fail(Throwable e) {
            if (failure == null) {
                failure = e;
            }
            stopped = true;
            queue.clear();
        }

        /** Queues {@code item}, waiting while the queue is full; false once the lane is dropped. */
        private boolean put(Object item, long stallNanos) throws InterruptedException {
            long waited = 0;
            while (!stopped) {
                long t = System.nanoTime();
                if (queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
                    return true;
                }
                waited += System.nanoTime() - t;
                if (waited > stallNanos) {
                    fail(new FleetkitException("flash.target-stalled", name + " accepted no data for "
                            + TimeUnit.NANOSECONDS.toSeconds(stallNanos) + " s and was dropped",
                            "check the card and reader; flash it again on its own"));
                    thread.interrupt();
                }
            }
            return false;
        }
    }

    public FanOut(Duration stallTimeout) {
        this.stallNanos = stallTimeout.toNanos();
    }

    /** Adds a target; {@code capacity} chunks may wait for it. Call before {@link #start()}. */
    public Lane add(String name, ChunkConsumer target, int capacity) {
        Lane lane = new Lane(name, target, capacity);
        lanes.add(lane);
        return lane;
    }

    public List<Lane> lanes() {
        return List.copyOf(lanes);
    }

    public void start() {
        lanes.forEach(l -> l.thread.start());
    }

    /** Sends a chunk to every healthy target; fails only when none is left. */
    @Override
    public void accept(Chunk chunk) throws IOException {
        for (Lane lane : lanes) {
            put(lane, chunk);
        }
        requireAlive();
    }

    /** Sends a chunk to one target only (its own customised boot partition). */
    public void accept(Lane lane, Chunk chunk) throws IOException {
        put(lane, chunk);
    }

    /** Tells every target the image is complete and waits until each has written and synced. */
    @Override
    public void finish() throws IOException {
        for (Lane lane : lanes) {
            put(lane, END);
        }
        join();
    }

    /** Stops every writer (the source failed) and waits for them. */
    public void abort(Throwable cause) {
        for (Lane lane : lanes) {
            lane.fail(cause);
            lane.thread.interrupt();
        }
        try {
            join();
        } catch (IOException e) {
            // interrupted while stopping; the threads are daemons
        }
    }

    /** Drops one target (its customisation failed); the others go on. */
    public void drop(Lane lane, Throwable why) {
        lane.fail(why);
        lane.thread.interrupt();
    }

    public boolean anyAlive() {
        return lanes.stream().anyMatch(l -> !l.stopped);
    }

    private void requireAlive() throws IOException {
        if (!anyAlive() && !lanes.isEmpty()) {
            join();
            throw new AllTargetsFailed(lanes.get(0).failure);
        }
    }

    /** Every target was dropped, so reading on is pointless; each lane's failure says why. */
    public static final class AllTargetsFailed extends IOException {
        AllTargetsFailed(Throwable first) {
            super("every target failed; the first: " + first, first);
        }
    }

    private void put(Lane lane, Object item) throws IOException {
        try {
            lane.put(item, stallNanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while handing data to " + lane.name);
        }
    }

    private void join() throws IOException {
        for (Lane lane : lanes) {
            try {
                lane.thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while waiting for " + lane.name);
            }
        }
    }
}
