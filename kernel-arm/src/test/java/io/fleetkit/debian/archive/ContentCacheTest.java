package io.fleetkit.debian.archive;

import io.fleetkit.events.FleetkitException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class ContentCacheTest {

    static final byte[] DATA = "hello deb\n".getBytes(StandardCharsets.UTF_8);

    static String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void storesAndFindsByDigest(@TempDir Path dir) throws Exception {
        ContentCache cache = new ContentCache(dir);
        String d = sha(DATA);
        assertTrue(cache.find(d).isEmpty());
        Path p = cache.store(d, DATA.length, new ByteArrayInputStream(DATA), "x.deb");
        assertEquals(p, cache.find(d).orElseThrow());
        assertArrayEquals(DATA, Files.readAllBytes(p));
        assertTrue(p.startsWith(dir.resolve("sha256").resolve(d.substring(0, 2))));
    }

    @Test
    void refusesWrongDigestAndKeepsNothing(@TempDir Path dir) throws Exception {
        ContentCache cache = new ContentCache(dir);
        String expected = sha("other".getBytes(StandardCharsets.UTF_8));
        FleetkitException e = assertThrows(FleetkitException.class,
                () -> cache.store(expected, DATA.length, new ByteArrayInputStream(DATA), "pool/main/x.deb"));
        assertEquals("debian.digest-mismatch", e.code());
        assertTrue(e.getMessage().contains("pool/main/x.deb"));
        assertTrue(e.getMessage().contains(expected));
        assertTrue(e.getMessage().contains(sha(DATA)));
        assertTrue(cache.find(expected).isEmpty());
        assertEquals(List.of(), regularFiles(dir), "no temp files left behind");
    }

    @Test
    void refusesLongerOrShorterContentThanTheSignedSize(@TempDir Path dir) throws Exception {
        ContentCache cache = new ContentCache(dir);
        String d = sha(DATA);
        assertEquals("debian.size-mismatch", assertThrows(FleetkitException.class,
                () -> cache.store(d, DATA.length - 1, new ByteArrayInputStream(DATA), "x")).code());
        assertEquals("debian.size-mismatch", assertThrows(FleetkitException.class,
                () -> cache.store(d, DATA.length + 1, new ByteArrayInputStream(DATA), "x")).code());
        assertEquals(List.of(), regularFiles(dir));
    }

    @Test
    void leavesNoTempFileWhenTheSourceFails(@TempDir Path dir) throws Exception {
        ContentCache cache = new ContentCache(dir);
        InputStream broken = new InputStream() {
            int n;
            @Override
            public int read() throws IOException {
                if (n++ > 3) {
                    throw new IOException("connection reset");
                }
                return 'a';
            }
        };
        assertThrows(IOException.class, () -> cache.store(sha(DATA), DATA.length, broken, "x"));
        assertEquals(List.of(), regularFiles(dir));
    }

    @Test
    void concurrentWritersOfTheSameDigestBothSucceed(@TempDir Path dir) throws Exception {
        ContentCache cache = new ContentCache(dir);
        byte[] big = new byte[4 << 20];
        new java.util.Random(7).nextBytes(big);
        String d = sha(big);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Path>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                // Separate ContentCache objects, as two processes would have: no shared in-memory lock.
                ContentCache own = new ContentCache(dir);
                results.add(pool.submit(() -> {
                    start.await();
                    return own.store(d, big.length, new ByteArrayInputStream(big), "big");
                }));
            }
            start.countDown();
            for (Future<Path> f : results) {
                assertArrayEquals(big, Files.readAllBytes(f.get()));
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(1, regularFiles(dir).size());
        assertEquals(d, ContentCache.sha256Of(cache.find(d).orElseThrow()));
    }

    @Test
    void refusesNamesThatAreNotDigests(@TempDir Path dir) {
        ContentCache cache = new ContentCache(dir);
        assertThrows(IllegalArgumentException.class, () -> cache.find("../../etc/passwd"));
        assertThrows(IllegalArgumentException.class, () -> cache.storeNamed("../x", new byte[0]));
    }

    @Test
    void locatesCacheFromEnvironment() {
        Path home = Path.of("/home/u");
        assertEquals(Path.of("/c/f"), ContentCache.defaultRoot(Map.of("FLEETKIT_CACHE", "/c/f", "XDG_CACHE_HOME", "/x"), home));
        assertEquals(Path.of("/x/fleetkit"), ContentCache.defaultRoot(Map.of("XDG_CACHE_HOME", "/x"), home));
        assertEquals(Path.of("/home/u/.cache/fleetkit"), ContentCache.defaultRoot(Map.of(), home));
    }

    static List<Path> regularFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }
}
