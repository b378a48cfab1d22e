package io.fleetkit.debian.archive;

import io.fleetkit.debian.ControlFileException;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.*;

class ReleaseFileTest {

    @Test
    void parsesFieldsAndSha256List() {
        ReleaseFile r = ReleaseFile.parse("""
                Origin: Debian
                Suite: oldstable
                Codename: bookworm
                Date: Sat, 11 Jul 2026 10:16:37 UTC
                Valid-Until: Sat, 18 Jul 2026 10:16:37 UTC
                Acquire-By-Hash: yes
                Architectures: all amd64 arm64
                Components: main contrib
                MD5Sum:
                 0ed6d4c8891eb86358b94bb35d9e4da4  1484322 contrib/Contents-all
                SHA256:
                 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855        0 main/binary-arm64/Packages
                 91fc89aba7b1c885666b084309c7c62ada97eada469edb59dfe2602465fab5db      748 main/binary-arm64/Packages.xz
                """);
        assertEquals("oldstable", r.suite());
        assertEquals("bookworm", r.codename());
        assertEquals(Instant.parse("2026-07-11T10:16:37Z"), r.date().orElseThrow());
        assertEquals(Instant.parse("2026-07-18T10:16:37Z"), r.validUntil().orElseThrow());
        assertTrue(r.acquireByHash());
        assertEquals(java.util.List.of("all", "amd64", "arm64"), r.architectures());
        assertEquals(2, r.sha256().size());
        ReleaseFile.FileEntry e = r.entry("main/binary-arm64/Packages.xz").orElseThrow();
        assertEquals(748, e.size());
        assertEquals("91fc89aba7b1c885666b084309c7c62ada97eada469edb59dfe2602465fab5db", e.sha256());
        assertTrue(r.entry("contrib/Contents-all").isEmpty(), "MD5-only entries are not trusted");
    }

    @Test
    void rejectsMalformedSha256Line() {
        assertThrows(ControlFileException.class, () -> ReleaseFile.parse("Suite: x\nSHA256:\n abc 12 main/Packages\n"));
    }

    @Test
    void rejectsBadDate() {
        assertThrows(ControlFileException.class, () -> ReleaseFile.parse("Suite: x\nValid-Until: tomorrow\n"));
    }
}
