package io.fleetkit.debian;

import io.fleetkit.events.FleetkitException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LockFileTest {

    private static final String SHA = "ab".repeat(32);

    @TempDir
    Path dir;

    private LockFile sample() {
        TestPackages t = new TestPackages()
                .pkg("zlib1g", "1:1.2.13.dfsg-1").pkg("busybox-static", "1:1.35.0-4+b3", "Depends: zlib1g")
                .pkg("doc", "1.0~rc1", "all");
        return LockFile.of(new Resolver(t.index(), e -> { }).resolve(List.of("busybox-static", "doc"), Set.of()));
    }

    @Test
    void writesSortedLinesAfterAHeaderAndReadsThemBack() throws IOException {
        LockFile lock = sample();
        Path file = dir.resolve("fleet.lock");
        lock.write(file);
        List<String> lines = Files.readAllLines(file);
        assertEquals(LockFile.HEADER, lines.get(0));
        assertEquals(4, lines.size());
        assertTrue(lines.get(1).startsWith("busybox-static 1:1.35.0-4+b3 arm64 "), lines.get(1));
        assertTrue(lines.get(1).endsWith(" pool/main/b/busybox-static/busybox-static_1%1.35.0-4+b3_arm64.deb"), lines.get(1));
        assertTrue(lines.get(2).startsWith("doc 1.0~rc1 all "));
        assertEquals(lock, LockFile.read(file));
        try (var s = Files.list(dir)) {
            assertEquals(List.of(file), s.toList());   // no temp file left behind
        }
    }

    @Test
    void overwritesAnExistingLock() throws IOException {
        Path file = dir.resolve("fleet.lock");
        Files.writeString(file, "old");
        sample().write(file);
        assertEquals(sample(), LockFile.read(file));
    }

    private static FleetkitException parseError(String body) {
        return assertThrows(FleetkitException.class, () -> LockFile.parse(body, "fleet.lock"));
    }

    @Test
    void rejectsBadLinesNamingTheLine() {
        String good = "a 1.0 arm64 " + SHA + " 10 pool/main/a/a_1.0_arm64.deb\n";
        assertEquals(1, LockFile.parse(LockFile.HEADER + "\n" + good + "\n# note\n", "x").entries().size());

        FleetkitException header = parseError("# something else\n" + good);
        assertEquals("debian.lock-syntax", header.code());
        assertTrue(header.getMessage().startsWith("fleet.lock:1: "), header.getMessage());

        assertTrue(parseError(LockFile.HEADER + "\n" + good + "b 1.0 arm64 " + SHA + " 10\n")
                .getMessage().startsWith("fleet.lock:3: expected 6 fields"));
        assertTrue(parseError(LockFile.HEADER + "\nb 1.0_x arm64 " + SHA + " 10 p/b.deb\n")
                .getMessage().startsWith("fleet.lock:2: invalid Debian version"));
        assertTrue(parseError(LockFile.HEADER + "\nb 1.0 arm64 " + SHA.substring(2) + " 10 p/b.deb\n")
                .getMessage().contains("SHA-256"));
        assertTrue(parseError(LockFile.HEADER + "\nb 1.0 arm64 " + SHA + " -1 p/b.deb\n")
                .getMessage().contains("size"));
        assertTrue(parseError(LockFile.HEADER + "\nb 1.0 arm64 " + SHA + " 1 ../b.deb\n")
                .getMessage().contains("archive-relative"));
        assertTrue(parseError(LockFile.HEADER + "\n" + good + good).getMessage().startsWith("fleet.lock:3: package a appears twice"));
        assertTrue(parseError(LockFile.HEADER + "\nb 1.0 arm64 " + SHA + " 1 p/b.deb\n" + good)
                .getMessage().contains("not sorted"));
    }
}
