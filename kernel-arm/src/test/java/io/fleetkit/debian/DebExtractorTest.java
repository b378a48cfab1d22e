package io.fleetkit.debian;

import io.fleetkit.events.FleetkitException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DebExtractorTest {

    @TempDir
    Path tmp;

    static TestDeb goodPackage() {
        return new TestDeb()
                .dir("./", 0755)
                .dir("./usr", 0755)
                .dir("./usr/bin", 0755)
                .file("./usr/bin/tool", 04755, "#!/bin/sh\necho tool\n")
                .hardlink("./usr/bin/tool-alias", "./usr/bin/tool")
                .symlink("./usr/bin/t", "tool")
                .dir("./etc", 0755)
                .file("./etc/tool.conf", 0640, "key=value\n")
                .symlink("./etc/alternatives-like", "/usr/bin/tool")
                .dir("./usr/share/tool-ro", 0555)
                .file("./usr/share/tool-ro/data", 0444, "x".repeat(70_000))
                .symlink("./usr/share/link-dir", "tool-ro")
                .file("./usr/share/link-dir/through-relative-link", 0644, "ok");
    }

    @ParameterizedTest
    @ValueSource(strings = {"xz", "zst", "gz", "bz2", ""})
    void streamsEntriesOfEveryCompression(String compression) throws IOException {
        Path deb = goodPackage().write(tmp, "good.deb", compression);
        List<DebEntry> entries = new ArrayList<>();
        Map<String, String> contents = new TreeMap<>();
        DebExtractor.readData(deb, (e, in) -> {
            entries.add(e);
            contents.put(e.path(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        });
        assertEquals(List.of("usr", "usr/bin", "usr/bin/tool", "usr/bin/tool-alias", "usr/bin/t", "etc", "etc/tool.conf",
                "etc/alternatives-like", "usr/share/tool-ro", "usr/share/tool-ro/data", "usr/share/link-dir",
                "usr/share/link-dir/through-relative-link"), entries.stream().map(DebEntry::path).toList());
        DebEntry tool = entries.get(2);
        assertEquals(DebEntry.Type.FILE, tool.type());
        assertEquals(04755, tool.mode());
        assertEquals(20, tool.size());
        assertEquals(1_700_000_000L, tool.mtime());
        assertEquals("#!/bin/sh\necho tool\n", contents.get("usr/bin/tool"));
        assertEquals(new DebEntry("usr/bin/tool-alias", DebEntry.Type.HARDLINK, 0644, "usr/bin/tool", 0, 1_700_000_000L),
                entries.get(3));
        assertEquals(DebEntry.Type.SYMLINK, entries.get(4).type());
        assertEquals("tool", entries.get(4).linkTarget());
        assertEquals("/usr/bin/tool", entries.get(7).linkTarget());
        assertEquals(DebEntry.Type.DIRECTORY, entries.get(0).type());
        assertEquals("", contents.get("usr/bin/t"));
        assertEquals(70_000, contents.get("usr/share/tool-ro/data").length());
    }

    @Test
    void extractsToDiskKeepingModesSymlinksAndHardLinks() throws IOException {
        Path deb = goodPackage().write(tmp, "good.deb", "xz");
        Path root = tmp.resolve("root");
        DebExtractor.extractTo(deb, root);
        Path tool = root.resolve("usr/bin/tool");
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(tool)));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("etc/tool.conf"))));
        assertEquals("r-xr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("usr/share/tool-ro"))));
        assertTrue(Files.isSameFile(tool, root.resolve("usr/bin/tool-alias")));
        assertEquals(2, Files.getAttribute(tool, "unix:nlink"));
        assertEquals(Path.of("tool"), Files.readSymbolicLink(root.resolve("usr/bin/t")));
        assertEquals(Path.of("/usr/bin/tool"), Files.readSymbolicLink(root.resolve("etc/alternatives-like")));
        assertEquals("ok", Files.readString(root.resolve("usr/share/tool-ro/through-relative-link")));
        assertEquals(1_700_000_000_000L, Files.getLastModifiedTime(tool).toMillis());
    }

    @Test
    void readsTheControlParagraph() throws IOException {
        Path deb = goodPackage().control("Package: tool\nVersion: 2:1.0-3\nArchitecture: arm64\nDepends: libc6 (>= 2.36)\n"
                + "Description: a tool\n long text\n").write(tmp, "tool.deb", "zst");
        ControlParagraph c = DebExtractor.readControl(deb);
        assertEquals("tool", c.require("Package"));
        assertEquals("libc6 (>= 2.36)", c.require("Depends"));
    }

    @Test
    void rejectsFilesThatAreNotPackages() throws IOException {
        Path notDeb = Files.writeString(tmp.resolve("x.deb"), "!<arch>\nsomething");
        FleetkitException e = assertThrows(FleetkitException.class, () -> DebExtractor.readData(notDeb, (en, in) -> { }));
        assertEquals("debian.bad-deb", e.code());
        assertTrue(e.getMessage().startsWith("x.deb: "), e.getMessage());
    }

    private FleetkitException hostile(TestDeb deb, String expectedEntry) throws IOException {
        Path file = deb.write(tmp, "evil.deb", "xz");
        Path root = tmp.resolve("sandbox/root");
        FleetkitException e = assertThrows(FleetkitException.class, () -> DebExtractor.extractTo(file, root));
        assertEquals("debian.unsafe-archive", e.code());
        assertTrue(e.getMessage().startsWith("evil.deb: entry '" + expectedEntry + "'"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("sandbox/evil"), LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(tmp.resolve("sandbox/x"), LinkOption.NOFOLLOW_LINKS));
        // the streaming API refuses the same archive
        FleetkitException streamed = assertThrows(FleetkitException.class, () -> DebExtractor.readData(file, (en, in) -> { }));
        assertEquals(e.getMessage(), streamed.getMessage());
        return e;
    }

    @Test
    void streamingRefusesBeforeTheVisitorSeesTheEntry() throws IOException {
        Path file = new TestDeb().symlink("./a", "/etc").file("./a/passwd", 0644, "x").write(tmp, "evil.deb", "gz");
        List<String> seen = new ArrayList<>();
        assertThrows(FleetkitException.class, () -> DebExtractor.readData(file, (en, in) -> seen.add(en.path())));
        assertEquals(List.of("a"), seen);
    }

    @Test
    void refusesDotDotPaths() throws IOException {
        assertTrue(hostile(new TestDeb().file("./../evil", 0644, "x"), "./../evil").getMessage().contains("'..'"));
        hostile(new TestDeb().dir("./a", 0755).file("./a/../../evil", 0644, "x"), "./a/../../evil");
    }

    @Test
    void refusesAbsolutePaths() throws IOException {
        assertTrue(hostile(new TestDeb().file("/etc/passwd", 0644, "root::0:0::/:/bin/sh\n"), "/etc/passwd")
                .getMessage().contains("absolute"));
    }

    @Test
    void refusesFileWrittenThroughSymlinkToAbsoluteDirectory() throws IOException {
        FleetkitException e = hostile(new TestDeb().symlink("./a", "/etc").file("./a/passwd", 0644, "x"), "a/passwd");
        assertTrue(e.getMessage().contains("symlink a -> /etc"), e.getMessage());
    }

    @Test
    void refusesSymlinkClimbingAboveTheRoot() throws IOException {
        hostile(new TestDeb().symlink("./a", "../../x"), "a");
        hostile(new TestDeb().dir("./d", 0755).symlink("./d/a", "../../x").file("./d/a/f", 0644, "x"), "d/a");
    }

    @Test
    void refusesWritingThroughChainedSymlinksThatLeave() throws IOException {
        // each link alone stays inside, but b resolves through a to above the root
        hostile(new TestDeb().dir("./d", 0755).symlink("./d/a", "..").symlink("./d/b", "a/..")
                .file("./d/b/evil", 0644, "x"), "d/b");
    }

    @Test
    void refusesHardLinkOutsideTheRoot() throws IOException {
        assertTrue(hostile(new TestDeb().hardlink("./h", "../../x"), "../../x").getMessage().contains("'..'"));
        assertTrue(hostile(new TestDeb().hardlink("./h", "/etc/shadow"), "/etc/shadow").getMessage().contains("absolute"));
    }

    @Test
    void refusesHardLinkToAFileNotYetExtracted() throws IOException {
        FleetkitException e = hostile(new TestDeb().hardlink("./h", "./later").file("./later", 0644, "x"), "h");
        assertTrue(e.getMessage().contains("not a regular file extracted before"), e.getMessage());
        hostile(new TestDeb().symlink("./s", "/etc/passwd").hardlink("./h", "./s"), "h");
    }

    @Test
    void refusesFileReplacingASymlink() throws IOException {
        hostile(new TestDeb().symlink("./passwd", "/etc/passwd").file("./passwd", 0644, "x"), "passwd");
    }

    @Test
    void refusesDeviceNodesAndFifos() throws IOException {
        assertTrue(hostile(new TestDeb().special("./dev/mem", org.apache.commons.compress.archivers.tar.TarConstants.LF_CHR),
                "dev/mem").getMessage().contains("device nodes"));
        hostile(new TestDeb().special("./fifo", org.apache.commons.compress.archivers.tar.TarConstants.LF_FIFO), "fifo");
    }

    @Test
    void secondPackageCannotEscapeThroughALinkLeftByTheFirst() throws IOException {
        Path root = tmp.resolve("sandbox/root");
        DebExtractor.extractTo(new TestDeb().symlink("./a", "/tmp").write(tmp, "first.deb", "gz"), root);
        Path second = new TestDeb().file("./a/fleetkit-escape-test", 0644, "x").write(tmp, "second.deb", "gz");
        FleetkitException e = assertThrows(FleetkitException.class, () -> DebExtractor.extractTo(second, root));
        assertEquals("debian.unsafe-archive", e.code());
        assertFalse(Files.exists(Path.of("/tmp/fleetkit-escape-test")));
    }
}
