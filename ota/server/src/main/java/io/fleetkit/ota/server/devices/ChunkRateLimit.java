package io.fleetkit.ota.server.devices;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * How much chunk data one device may have the server send it: a token bucket per device, in bytes
 * ({@link #DEFAULT_BYTES_PER_SECOND} a second, bursts up to {@link #DEFAULT_BURST_BYTES}). A request past it
 * gets no answer; the agent asks again after its timeout. Well above what a real device's link takes, it bounds
 * what one device (or a stolen identity) can make the server read and the broker carry.
 */
public final class ChunkRateLimit {

    public static final long DEFAULT_BYTES_PER_SECOND = 512L << 20;
    public static final long DEFAULT_BURST_BYTES = 64L << 20;

    private final long bytesPerSecond;
    private final long burst;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    private static final class Bucket {
        double tokens;
        long at;
    }

    public ChunkRateLimit(long bytesPerSecond, long burstBytes, LongSupplier nanoTime) {
        this.bytesPerSecond = bytesPerSecond;
        this.burst = burstBytes;
        this.nanoTime = nanoTime;
    }

    public static ChunkRateLimit defaults() {
        return new ChunkRateLimit(DEFAULT_BYTES_PER_SECOND, DEFAULT_BURST_BYTES, System::nanoTime);
    }

    /** Takes {@code bytes} from the device's bucket; false (nothing taken) when it holds too little. */
    public boolean allow(String deviceId, long bytes) {
        long now = nanoTime.getAsLong();
        Bucket b = buckets.computeIfAbsent(deviceId, k -> {
            Bucket n = new Bucket();
            n.tokens = burst;
            n.at = now;
            return n;
        });
        synchronized (b) {
            b.tokens = Math.min(burst, b.tokens + (now - b.at) / 1e9 * bytesPerSecond);
            b.at = now;
            if (b.tokens < Math.min(bytes, burst)) {
                return false;
            }
            b.tokens -= bytes;
            return true;
        }
    }
}
