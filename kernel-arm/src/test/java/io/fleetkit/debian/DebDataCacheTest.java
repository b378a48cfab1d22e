package io.fleetkit.debian;

import io.fleetkit.debian.archive.ContentCache;
import io.fleetkit.events.Event;
import io.fleetkit.events.FleetkitException;
import io.fleetkit.packages.DebDataCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A package's kept data.tar gives exactly what reading the package gives, with the same checks. */
class DebDataCacheTest {

    private static final String KIND = "deb-data-tar-v1";

    @TempDir
    Path tmp;

    private final List<Event> events = Collections.synchronizedList(new ArrayList<>());

    @ParameterizedTest
    @ValueSource(strings = {"xz", "zst", "gz", ""})
    void givesWhatReadingThePackageGives(String compression) throws Exception {
        Path deb = DebExtractorTest.goodPackage().write(tmp, "good.deb", compression);
        String sha = ContentCache.sha256Of(deb);
        ContentCache cache = new ContentCache(tmp.resolve("cache"));
        List<String> expected = read(v -> DebExtractor.readData(deb, v));

        assertEquals(expected, read(v -> new DebDataCache(cache, events::add).readData(deb, sha, v)), "decompressed now");
        assertTrue(Files.isRegularFile(cache.derivedPath(KIND, sha)), "data kept");
        Files.delete(deb);   // the warm read needs only what was kept
        assertEquals(expected, read(v -> new DebDataCache(cache, events::add).readData(deb, sha, v)), "from the cache");
        assertTrue(events.isEmpty(), events.toString());
    }

    @Test
    void keptDataIsCheckedAsThePackageIs() throws Exception {
        Path deb = new TestDeb().symlink("./a", "/etc").file("./a/passwd", 0644, "x").write(tmp, "evil.deb", "xz");
        String sha = ContentCache.sha256Of(deb);
        ContentCache cache = new ContentCache(tmp.resolve("cache"));
        String refused = assertThrows(FleetkitException.class, () -> DebExtractor.readData(deb, (e, in) -> { })).getMessage();
        for (String pass : List.of("cold", "warm")) {
            FleetkitException e = assertThrows(FleetkitException.class,
                    () -> new DebDataCache(cache, events::add).readData(deb, sha, (en, in) -> { }), pass);
            assertEquals(refused, e.getMessage(), pass);
        }
    }

    @Test
    void aDamagedEntryIsDecompressedAgainAndReplaced() throws Exception {
        Path deb = DebExtractorTest.goodPackage().write(tmp, "good.deb", "xz");
        String sha = ContentCache.sha256Of(deb);
        ContentCache cache = new ContentCache(tmp.resolve("cache"));
        List<String> expected = read(v -> DebExtractor.readData(deb, v));
        read(v -> new DebDataCache(cache, events::add).readData(deb, sha, v));
        Path kept = cache.derivedPath(KIND, sha);
        byte[] good = Files.readAllBytes(kept);
        for (byte[] damaged : List.of(Arrays.copyOf(good, good.length - 100), new byte[0], flipped(good, good.length - 5))) {
            Files.write(kept, damaged);
            events.clear();
            assertEquals(expected, read(v -> new DebDataCache(cache, events::add).readData(deb, sha, v)));
            assertTrue(events.stream().anyMatch(e -> e instanceof Event.Log l && l.level() == Event.Level.WARN
                    && l.message().contains("is damaged")), events.toString());
            assertTrue(Arrays.equals(good, Files.readAllBytes(kept)), "replaced");
        }
    }

    private interface Reading {
        void read(DebEntryVisitor visitor) throws IOException;
    }

    /** Each entry and its content, as text. */
    private static List<String> read(Reading reading) throws IOException {
        List<String> out = new ArrayList<>();
        reading.read((e, in) -> out.add(e + " " + new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        return out;
    }

    private static byte[] flipped(byte[] b, int at) {
        byte[] out = b.clone();
        out[at] ^= 1;
        return out;
    }
}
