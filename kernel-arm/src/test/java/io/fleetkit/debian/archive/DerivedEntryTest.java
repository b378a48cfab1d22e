package io.fleetkit.debian.archive;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Derived cache entries: stored atomically in their envelope, refused when anything about them is off. */
class DerivedEntryTest {

    static final String KIND = "test-kind-v1";
    static final String SOURCE = "ab".repeat(32);
    static final byte[] CONTENT = "derived content\n".getBytes(StandardCharsets.UTF_8);

    @Test
    void storesAndReadsBack(@TempDir Path dir) throws Exception {
        ContentCache cache = new ContentCache(dir);
        assertTrue(cache.readDerived(KIND, SOURCE, 1 << 20).isEmpty());
        Path p = cache.storeDerived(KIND, SOURCE, CONTENT);
        assertEquals(dir.resolve("derived/test-kind-v1/ab/" + SOURCE), p);
        assertArrayEquals(CONTENT, cache.readDerived(KIND, SOURCE, 1 << 20).orElseThrow());
        cache.storeDerived(KIND, SOURCE, new byte[0]);   // replaces
        assertArrayEquals(new byte[0], cache.readDerived(KIND, SOURCE, 1 << 20).orElseThrow());
        try (var files = Files.list(p.getParent())) {
            assertEquals(1, files.count(), "no temp file left behind");
        }
    }

    @Test
    void refusesEveryTruncationAndEveryFlippedByte() {
        byte[] file = DerivedEntry.wrap(KIND, SOURCE, CONTENT);
        for (int n = 0; n < file.length; n++) {
            byte[] cut = Arrays.copyOf(file, n);
            assertThrows(DerivedEntry.Damaged.class, () -> DerivedEntry.unwrap(KIND, SOURCE, cut), "cut at " + n);
        }
        assertThrows(DerivedEntry.Damaged.class, () -> DerivedEntry.unwrap(KIND, SOURCE, Arrays.copyOf(file, file.length + 1)));
        for (int i = 0; i < file.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] bad = file.clone();
                bad[i] ^= (byte) (1 << bit);
                assertThrows(DerivedEntry.Damaged.class, () -> DerivedEntry.unwrap(KIND, SOURCE, bad), "byte " + i + " bit " + bit);
            }
        }
    }

    @Test
    void refusesAnEntryOfAnotherSourceOrKind() {
        byte[] file = DerivedEntry.wrap(KIND, SOURCE, CONTENT);
        var other = assertThrows(DerivedEntry.Damaged.class, () -> DerivedEntry.unwrap(KIND, "cd".repeat(32), file));
        assertTrue(other.getMessage().contains("another source"), other.getMessage());
        assertThrows(DerivedEntry.Damaged.class, () -> DerivedEntry.unwrap("test-kind-v2", SOURCE, file));
        assertThrows(DerivedEntry.Damaged.class, () -> DerivedEntry.unwrap("test-kind-v1x", SOURCE, file));
    }

    @Test
    void refusesAnOversizedEntryWithoutReadingIt(@TempDir Path dir) throws Exception {
        ContentCache cache = new ContentCache(dir);
        cache.storeDerived(KIND, SOURCE, new byte[4096]);
        var e = assertThrows(DerivedEntry.Damaged.class, () -> cache.readDerived(KIND, SOURCE, 1000));
        assertTrue(e.getMessage().contains("more than 1000"), e.getMessage());
    }

    @Test
    void refusesKindsThatCouldLeaveTheCache(@TempDir Path dir) {
        ContentCache cache = new ContentCache(dir);
        for (String bad : new String[] {"../x", "a/b", ".hidden", ""}) {
            assertThrows(IllegalArgumentException.class, () -> cache.derivedPath(bad, SOURCE), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> cache.derivedPath(KIND, "../" + SOURCE.substring(3)));
    }
}
