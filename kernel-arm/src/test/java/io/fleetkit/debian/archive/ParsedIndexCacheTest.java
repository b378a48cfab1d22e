package io.fleetkit.debian.archive;

import io.fleetkit.debian.BinaryPackage;
import io.fleetkit.events.Event;
import io.fleetkit.events.EventSink;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link DebianArchive#forEachBinaryPackage} through the parsed-index cache, on a signed test archive. */
class ParsedIndexCacheTest {

    @BeforeAll
    static void makeKey() throws Exception {
        DebianArchiveTest.makeKey();
    }

    @Test
    void keepsTheIndexParsedAndGivesWhatParsingGives(@TempDir Path dir) throws Exception {
        try (LocalMirror m = published()) {
            ContentCache cache = new ContentCache(dir.resolve("cache"));
            List<Event> events = Collections.synchronizedList(new ArrayList<>());
            DebianArchive a = open(m, dir, cache, events);
            List<BinaryPackage> parsed = a.packages().stream().map(BinaryPackage::from).toList();

            assertEquals(parsed, binaryPackages(a));
            Path kept = derivedFile(a, cache);
            assertTrue(Files.isRegularFile(kept), "parsed index kept at " + kept);

            events.clear();
            assertEquals(parsed, binaryPackages(open(m, dir, cache, events)));
            assertTrue(logged(events, Event.Level.DEBUG, "parsed index from"), "second read came from the cache: " + events);
        }
    }

    @Test
    void parsesAgainAndRewritesADamagedFile(@TempDir Path dir) throws Exception {
        try (LocalMirror m = published()) {
            ContentCache cache = new ContentCache(dir.resolve("cache"));
            List<Event> events = Collections.synchronizedList(new ArrayList<>());
            DebianArchive a = open(m, dir, cache, events);
            List<BinaryPackage> parsed = a.packages().stream().map(BinaryPackage::from).toList();
            binaryPackages(a);
            Path kept = derivedFile(a, cache);
            byte[] good = Files.readAllBytes(kept);

            List<byte[]> damages = List.of(new byte[0], java.util.Arrays.copyOf(good, good.length / 2),
                    "not an index".getBytes(), flipped(good, good.length - 1),
                    DerivedEntry.wrap(ParsedIndexCache.KIND, "ef".repeat(32), ParsedIndexFile.encode(parsed)));   // another index's
            for (byte[] damaged : damages) {
                Files.write(kept, damaged);
                events.clear();
                assertEquals(parsed, binaryPackages(open(m, dir, cache, events)));
                assertTrue(logged(events, Event.Level.WARN, "is damaged"), "damage reported: " + events);
                String key = a.indexes().get(0).entry().sha256();
                assertEquals(parsed, ParsedIndexFile.decode(cache.readDerived(ParsedIndexCache.KIND, key, 1 << 20).orElseThrow()),
                        "rewritten");
            }
        }
    }

    @Test
    void aCacheThatCannotKeepTheFileOnlyCostsSpeed(@TempDir Path dir) throws Exception {
        try (LocalMirror m = published()) {
            ContentCache cache = new ContentCache(dir.resolve("cache"));
            List<Event> events = Collections.synchronizedList(new ArrayList<>());
            DebianArchive a = open(m, dir, cache, events);
            Path kept = derivedFile(a, cache);
            Files.createDirectories(kept.resolve("in-the-way"));   // a directory where the file belongs
            List<BinaryPackage> parsed = a.packages().stream().map(BinaryPackage::from).toList();
            assertEquals(parsed, binaryPackages(a));
            assertTrue(logged(events, Event.Level.WARN, "could not keep the parsed index"), events.toString());
        }
    }

    private static LocalMirror published() throws Exception {
        LocalMirror m = new LocalMirror();
        DebianArchiveTest.publish(m, "fleet", false, true, false, null);
        return m;
    }

    private static DebianArchive open(LocalMirror m, Path dir, ContentCache cache, List<Event> events) throws Exception {
        ArchiveConfig c = DebianArchiveTest.config(m, DebianArchiveTest.keyring(dir), false, DebianArchiveTest.JULY);
        EventSink sink = events::add;
        return DebianArchive.open(c, cache, new ArchiveFetcher(HttpClient.newHttpClient(), sink, false, 2, Duration.ZERO), sink);
    }

    private static List<BinaryPackage> binaryPackages(DebianArchive a) throws Exception {
        List<BinaryPackage> out = new ArrayList<>();
        a.forEachBinaryPackage((index, p) -> out.add(p));
        return out;
    }

    private static Path derivedFile(DebianArchive a, ContentCache cache) {
        return cache.derivedPath(ParsedIndexCache.KIND, a.indexes().get(0).entry().sha256());
    }

    private static boolean logged(List<Event> events, Event.Level level, String text) {
        return events.stream().anyMatch(e -> e instanceof Event.Log l && l.level() == level && l.message().contains(text));
    }

    private static byte[] flipped(byte[] b, int at) {
        byte[] out = b.clone();
        out[at] ^= 1;
        return out;
    }
}
