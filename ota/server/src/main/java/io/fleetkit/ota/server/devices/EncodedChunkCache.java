package io.fleetkit.ota.server.devices;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The frames of deflated chunks most recently served, up to a number of bytes: a rollout sends the
 * same chunks to every device, and deflating a 1 MiB chunk costs tens of milliseconds, so each is
 * deflated once while devices keep asking for it. Least recently used frames go first.
 */
final class EncodedChunkCache {

    private final long maxBytes;
    private final LinkedHashMap<String, byte[]> frames = new LinkedHashMap<>(64, 0.75f, true);
    private long bytes;

    EncodedChunkCache(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The frame for chunk {@code index} of {@code bundle}, made by {@code encode} when not cached. */
    byte[] frame(String bundle, int index, Supplier<byte[]> encode) {
        String key = bundle + "/" + index;
        synchronized (this) {
            byte[] f = frames.get(key);
            if (f != null) {
                return f;
            }
        }
        byte[] f = encode.get(); // outside the lock: devices asking for other chunks are not held up
        synchronized (this) {
            if (f.length <= maxBytes && frames.put(key, f) == null) {
                bytes += f.length;
            }
            var it = frames.entrySet().iterator();
            while (bytes > maxBytes && it.hasNext()) {
                Map.Entry<String, byte[]> oldest = it.next();
                bytes -= oldest.getValue().length;
                it.remove();
            }
        }
        return f;
    }
}
