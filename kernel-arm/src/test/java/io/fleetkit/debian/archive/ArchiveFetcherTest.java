package io.fleetkit.debian.archive;

import io.fleetkit.events.Event;
import io.fleetkit.events.FleetkitException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.*;

class ArchiveFetcherTest {

    final List<Event> events = new CopyOnWriteArrayList<>();

    ArchiveFetcher fetcher(boolean offline) {
        return new ArchiveFetcher(HttpClient.newHttpClient(), events::add, offline, 3, Duration.ZERO);
    }

    static byte[] payload(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    @Test
    void downloadsIntoCacheWithProgress(@TempDir Path dir) throws Exception {
        byte[] body = payload(3 << 20);
        try (LocalMirror m = new LocalMirror()) {
            m.files.put("/pool/a.deb", body);
            Path p = fetcher(false).fetchToCache(List.of(m.uri("/pool/a.deb")), ContentCacheTest.sha(body), body.length,
                    new ContentCache(dir), "pool/a.deb");
            assertArrayEquals(body, Files.readAllBytes(p));
            List<Event.Progress> progress = events.stream().filter(e -> e instanceof Event.Progress)
                    .map(e -> (Event.Progress) e).toList();
            assertTrue(progress.size() >= 3, progress.toString());
            assertEquals(body.length, progress.get(progress.size() - 1).done());
            assertTrue(progress.stream().allMatch(e -> e.total() == body.length && e.unit() == Event.Unit.BYTES));
        }
    }

    @Test
    void secondFetchIsACacheHitWithoutRequest(@TempDir Path dir) throws Exception {
        byte[] body = payload(1000);
        try (LocalMirror m = new LocalMirror()) {
            m.files.put("/a", body);
            ContentCache cache = new ContentCache(dir);
            fetcher(false).fetchToCache(List.of(m.uri("/a")), ContentCacheTest.sha(body), body.length, cache, "a");
            fetcher(false).fetchToCache(List.of(m.uri("/a")), ContentCacheTest.sha(body), body.length, cache, "a");
            assertEquals(1, m.requests.size());
        }
    }

    @Test
    void retriesServerErrorsAndDroppedConnections(@TempDir Path dir) throws Exception {
        byte[] body = payload(200_000);
        try (LocalMirror m = new LocalMirror()) {
            m.files.put("/a", body);
            m.failWith503.set(1);
            m.truncate.set(1);
            Path p = fetcher(false).fetchToCache(List.of(m.uri("/a")), ContentCacheTest.sha(body), body.length,
                    new ContentCache(dir), "a");
            assertArrayEquals(body, Files.readAllBytes(p));
            assertEquals(3, m.requests.size());
            assertEquals(List.of(p), ContentCacheTest.regularFiles(dir), "the truncated attempt left no file");
        }
    }

    @Test
    void givesUpAfterBoundedAttemptsWhenNothingListens(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        URI uri = URI.create("http://127.0.0.1:" + port + "/x");
        FleetkitException e = assertThrows(FleetkitException.class, () -> fetcher(false).fetchBytes(uri, 100));
        assertEquals("debian.fetch-failed", e.code());
        assertTrue(e.getMessage().contains(uri.toString()) && e.getMessage().contains("3 attempts"), e.getMessage());
        assertEquals(2, events.stream().filter(ev -> ev instanceof Event.Log l && l.level() == Event.Level.WARN).count());
    }

    @Test
    void notFoundNamesTheUrlAndIsNotRetried(@TempDir Path dir) throws Exception {
        try (LocalMirror m = new LocalMirror()) {
            FleetkitException e = assertThrows(FleetkitException.class, () -> fetcher(false).fetchToCache(
                    List.of(m.uri("/pool/gone.deb")), "0".repeat(64), 1, new ContentCache(dir), "pool/gone.deb"));
            assertEquals("debian.not-found", e.code());
            assertTrue(e.getMessage().contains(m.uri("/pool/gone.deb").toString()));
            assertEquals(1, m.requests.size());
        }
    }

    @Test
    void triesNextCandidateOn404(@TempDir Path dir) throws Exception {
        byte[] body = payload(500);
        try (LocalMirror m = new LocalMirror()) {
            m.files.put("/plain", body);
            fetcher(false).fetchToCache(List.of(m.uri("/by-hash"), m.uri("/plain")), ContentCacheTest.sha(body),
                    body.length, new ContentCache(dir), "x");
            assertEquals(List.of("/by-hash", "/plain"), m.requests);
        }
    }

    @Test
    void offlineNeverTouchesTheNetwork(@TempDir Path dir) throws Exception {
        try (LocalMirror m = new LocalMirror()) {
            m.files.put("/a", new byte[]{1});
            OfflineMissingException e = assertThrows(OfflineMissingException.class, () -> fetcher(true).fetchToCache(
                    List.of(m.uri("/a")), "1".repeat(64), 1, new ContentCache(dir), "pool/a.deb"));
            assertEquals("debian.offline-missing", e.code());
            assertTrue(e.getMessage().contains("pool/a.deb"));
            assertTrue(e.fix().contains("without --offline"));
            assertThrows(OfflineMissingException.class, () -> fetcher(true).fetchBytes(m.uri("/a"), 10));
            assertEquals(List.of(), m.requests);
        }
    }

    @Test
    void refusesOversizedSmallFile() throws Exception {
        try (LocalMirror m = new LocalMirror()) {
            m.files.put("/InRelease", payload(2000));
            assertEquals("debian.too-large", assertThrows(FleetkitException.class,
                    () -> fetcher(false).fetchBytes(m.uri("/InRelease"), 1000)).code());
        }
    }
}
