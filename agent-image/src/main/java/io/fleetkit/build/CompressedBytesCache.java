package io.fleetkit.build;

import io.fleetkit.debian.archive.ContentCache;
import io.fleetkit.debian.archive.DerivedEntry;
import io.fleetkit.events.EventSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Compressed forms of byte arrays (the initramfs layers, the kernel) kept in the build cache under
 * the SHA-256 of the uncompressed bytes and a kind naming the compressor and its settings
 * ({@link Compression#cacheKind}), so what did not change is not compressed again: gzip -9 of the
 * agent's runtime alone takes seconds. The compressors are deterministic, so a kept entry holds
 * the bytes compressing would give; its envelope ({@link DerivedEntry}) is checked on every read,
 * and a damaged one is compressed again and replaced. What is missing is compressed in parallel.
 */
final class CompressedBytesCache {

    /**
     * Bytes to compress, and the writes that make them. xz and zstd give different bytes for the
     * same input written in other pieces (gzip does not), so what is compressed is written exactly
     * as its maker writes it, and the cache is keyed by the digest of the bytes.
     */
    interface Uncompressed {
        byte[] bytes();

        void writeTo(OutputStream out) throws IOException;

        /** Bytes written in one piece. */
        static Uncompressed of(byte[] bytes) {
            return new Uncompressed() {
                @Override
                public byte[] bytes() {
                    return bytes;
                }

                @Override
                public void writeTo(OutputStream out) throws IOException {
                    out.write(bytes);
                }
            };
        }
    }

    /** Larger than any kernel or initramfs layer a slot can hold. */
    private static final long MAX_ENTRY = 1L << 30;

    private final ContentCache cache;
    private final EventSink events;

    CompressedBytesCache(ContentCache cache, EventSink events) {
        this.cache = cache;
        this.events = events;
    }

    byte[] compressed(String kind, byte[] raw) throws IOException {
        return compressedAll(kind, List.of(Uncompressed.of(raw))).get(0);
    }

    /** Each of {@code raws} compressed, in order. */
    List<byte[]> compressedAll(String kind, List<Uncompressed> raws) throws IOException {
        String cacheKind = Compression.cacheKind(kind);
        List<byte[]> out = new ArrayList<>(raws.size());
        List<Integer> missing = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (Uncompressed raw : raws) {
            String key = sha256(raw.bytes());
            keys.add(key);
            byte[] kept = kept(cacheKind, key);
            if (kept == null) {
                missing.add(out.size());
            }
            out.add(kept);
        }
        List<byte[]> made = compressInParallel(kind, missing.stream().map(raws::get).toList());
        for (int i = 0; i < missing.size(); i++) {
            int at = missing.get(i);
            out.set(at, made.get(i));
            try {
                cache.storeDerived(cacheKind, keys.get(at), made.get(i));
            } catch (IOException e) {   // only a lost speed-up: the next build compresses again
                events.warn("compress", "could not keep compressed bytes in " + cache.derivedPath(cacheKind, keys.get(at))
                        + ": " + e);
            }
        }
        events.debug("compress", (raws.size() - missing.size()) + " of " + raws.size() + " " + kind
                + " archives from the cache, " + missing.size() + " compressed");
        return out;
    }

    private byte[] kept(String cacheKind, String key) throws IOException {
        try {
            Optional<byte[]> kept = cache.readDerived(cacheKind, key, MAX_ENTRY);
            return kept.orElse(null);
        } catch (DerivedEntry.Damaged e) {
            events.warn("compress", "the compressed entry " + cache.derivedPath(cacheKind, key) + " is damaged ("
                    + e.getMessage() + "); compressing again");
            return null;
        }
    }

    private static List<byte[]> compressInParallel(String kind, List<Uncompressed> raws) throws IOException {
        if (raws.size() <= 1) {
            List<byte[]> out = new ArrayList<>();
            for (Uncompressed raw : raws) {
                out.add(compress(kind, raw));
            }
            return out;
        }
        int threads = Math.min(raws.size(), Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "compress");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<byte[]>> futures = new ArrayList<>();
            for (Uncompressed raw : raws) {
                futures.add(pool.submit(() -> compress(kind, raw)));
            }
            List<byte[]> out = new ArrayList<>();
            for (Future<byte[]> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while compressing", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static byte[] compress(String kind, Uncompressed raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.bytes().length / 2 + 64);
        try (OutputStream c = Compression.stream(kind, out)) {
            raw.writeTo(c);
        }
        return out.toByteArray();
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
