package io.fleetkit.debian.archive;

import io.fleetkit.debian.ControlParagraph;
import io.fleetkit.events.EventSink;
import io.fleetkit.events.FleetkitException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.*;

/** A small archive signed by a test key, served by a local HTTP server. */
class DebianArchiveTest {

    static TestKeys key;
    static final Clock JULY = Clock.fixed(Instant.parse("2026-07-12T00:00:00Z"), ZoneOffset.UTC);
    static final byte[] DEB = "!<arch>\ndebian-binary   fake\n".getBytes(StandardCharsets.US_ASCII);

    @BeforeAll
    static void makeKey() throws Exception {
        key = TestKeys.ed25519("Test Archive <a@example.org>");
    }

    /** Publishes suite "fleet" with main/binary-arm64 Packages in the given compressions. */
    static void publish(LocalMirror m, String codename, boolean byHash, boolean xz, boolean gz, byte[] servedXz) throws Exception {
        String packages = """
                Package: busybox-static
                Version: 1:1.35.0-4
                Architecture: arm64
                Filename: pool/main/b/busybox/busybox-static_1.35.0-4_arm64.deb
                Size: %d
                SHA256: %s

                Package: base-files
                Version: 12.4
                Architecture: arm64
                Filename: pool/main/b/base-files/base-files_12.4_arm64.deb
                Size: 1
                SHA256: %s
                """.formatted(DEB.length, ContentCacheTest.sha(DEB), "0".repeat(64));
        byte[] plain = packages.getBytes(StandardCharsets.UTF_8);
        StringBuilder release = new StringBuilder("""
                Origin: Test
                Suite: stable
                Codename: %s
                Date: Sat, 11 Jul 2026 10:16:37 UTC
                Valid-Until: Sat, 18 Jul 2026 10:16:37 UTC
                Architectures: arm64
                Components: main
                Acquire-By-Hash: %s
                SHA256:
                """.formatted(codename, byHash ? "yes" : "no"));
        String dists = "/debian/dists/fleet/";
        release.append(line(plain, "main/binary-arm64/Packages"));
        m.files.put(dists + "main/binary-arm64/Packages", plain);
        if (xz) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            try (XZOutputStream out = new XZOutputStream(b, new LZMA2Options())) {
                out.write(plain);
            }
            release.append(line(b.toByteArray(), "main/binary-arm64/Packages.xz"));
            String path = byHash ? "main/binary-arm64/by-hash/SHA256/" + ContentCacheTest.sha(b.toByteArray())
                    : "main/binary-arm64/Packages.xz";
            m.files.put(dists + path, servedXz != null ? servedXz : b.toByteArray());
        }
        if (gz) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            try (GZIPOutputStream out = new GZIPOutputStream(b)) {
                out.write(plain);
            }
            release.append(line(b.toByteArray(), "main/binary-arm64/Packages.gz"));
            m.files.put(dists + "main/binary-arm64/Packages.gz", b.toByteArray());
        }
        m.files.put(dists + "InRelease", key.clearsign(release.toString()));
        m.files.put("/debian/pool/main/b/busybox/busybox-static_1.35.0-4_arm64.deb", DEB);
    }

    static String line(byte[] content, String path) throws Exception {
        return " " + ContentCacheTest.sha(content) + " " + content.length + " " + path + "\n";
    }

    static ArchiveConfig config(LocalMirror m, Path keyring, boolean offline, Clock clock) {
        return new ArchiveConfig(m.uri("/debian"), "fleet", List.of("main"), List.of("arm64"), keyring, offline, clock);
    }

    static Path keyring(Path dir) throws Exception {
        Path k = dir.resolve("test.gpg");
        Files.write(k, key.publicKeyring);
        return k;
    }

    static DebianArchive open(ArchiveConfig c, ContentCache cache) throws Exception {
        return DebianArchive.open(c, cache, new ArchiveFetcher(HttpClient.newHttpClient(), EventSink.NONE, c.offline(), 2,
                Duration.ZERO), EventSink.NONE);
    }

    @Test
    void readsPackagesAndFetchesDebThroughCache(@TempDir Path dir) throws Exception {
        try (LocalMirror m = new LocalMirror()) {
            publish(m, "fleet", false, true, true, null);
            ContentCache cache = new ContentCache(dir.resolve("cache"));
            DebianArchive a = open(config(m, keyring(dir), false, JULY), cache);
            assertEquals("main/binary-arm64/Packages.xz", a.indexes().get(0).entry().path());
            List<ControlParagraph> ps = a.packages("main");
            assertEquals(List.of("busybox-static", "base-files"), ps.stream().map(p -> p.require("Package")).toList());
            ControlParagraph bb = ps.get(0);
            Path deb = a.fetchDeb(bb.require("Filename"), bb.require("SHA256"), Long.parseLong(bb.require("Size")));
            assertArrayEquals(DEB, Files.readAllBytes(deb));

            int before = m.requests.size();
            DebianArchive off = open(config(m, keyring(dir), true, JULY), cache);
            assertEquals(deb, off.fetchDeb(bb.require("Filename"), bb.require("SHA256"), DEB.length));
            assertEquals(2, off.packages().size());
            assertEquals(before, m.requests.size(), "offline mode made no request");
        }
    }

    @Test
    void usesGzWhenXzIsNotListed(@TempDir Path dir) throws Exception {
        try (LocalMirror m = new LocalMirror()) {
            publish(m, "fleet", false, false, true, null);
            DebianArchive a = open(config(m, keyring(dir), false, JULY), new ContentCache(dir.resolve("c")));
            assertEquals("main/binary-arm64/Packages.gz", a.indexes().get(0).entry().path());
            assertEquals(2, a.packages().size());
        }
    }

    @Test
    void fetchesIndexByHashWhenTheArchiveOffersIt(@TempDir Path dir) throws Exception {
        try (LocalMirror m = new LocalMirror()) {
            publish(m, "fleet", true, true, false, null);
            DebianArchive a = open(config(m, keyring(dir), false, JULY), new ContentCache(dir.resolve("c")));
            assertEquals(2, a.packages().size());
            assertTrue(m.requests.stream().anyMatch(r -> r.contains("/by-hash/SHA256/")), m.requests.toString());
        }
    }

    @Test
    void refusesIndexThatDiffersFromTheSignedList(@TempDir Path dir) throws Exception {
        try (LocalMirror m = new LocalMirror()) {
            ByteArrayOutputStream other = new ByteArrayOutputStream();
            try (XZOutputStream out = new XZOutputStream(other, new LZMA2Options())) {
                out.write("Package: evil\n".getBytes(StandardCharsets.UTF_8));
            }
            publish(m, "fleet", false, true, false, other.toByteArray());
            ContentCache cache = new ContentCache(dir.resolve("c"));
            FleetkitException e = assertThrows(FleetkitException.class, () -> open(config(m, keyring(dir), false, JULY), cache));
            assertTrue(e.code().equals("debian.size-mismatch") || e.code().equals("debian.digest-mismatch"), e.code());
            assertTrue(e.getMessage().contains("Packages.xz"), e.getMessage());
            assertFalse(Files.exists(cache.root().resolve("sha256")) && !ContentCacheTest.regularFiles(cache.root().resolve("sha256")).isEmpty());
        }
    }

    @Test
    void refusesSignedReleaseOfAnotherSuite(@TempDir Path dir) throws Exception {
        try (LocalMirror m = new LocalMirror()) {
            publish(m, "other", false, true, false, null);
            FleetkitException e = assertThrows(FleetkitException.class,
                    () -> open(config(m, keyring(dir), false, JULY), new ContentCache(dir.resolve("c"))));
            assertEquals("debian.suite-mismatch", e.code());
        }
    }

    @Test
    void offlineListsEveryMissingFile(@TempDir Path dir) throws Exception {
        try (LocalMirror m = new LocalMirror()) {
            publish(m, "fleet", false, true, false, null);
            ContentCache cache = new ContentCache(dir.resolve("c"));
            OfflineMissingException none = assertThrows(OfflineMissingException.class,
                    () -> open(config(m, keyring(dir), true, JULY), cache));
            assertTrue(none.missing().get(0).endsWith("/debian/dists/fleet/InRelease"), none.missing().toString());

            open(config(m, keyring(dir), false, JULY), cache);
            for (Path p : ContentCacheTest.regularFiles(cache.root().resolve("sha256"))) {
                Files.delete(p);
            }
            OfflineMissingException idx = assertThrows(OfflineMissingException.class,
                    () -> open(config(m, keyring(dir), true, JULY), cache));
            assertTrue(idx.missing().get(0).contains("fleet/main/binary-arm64/Packages.xz"), idx.missing().toString());
            assertTrue(idx.fix().contains("without --offline"));
        }
    }

    @Test
    void offlineRefusesCachedReleasePastValidUntil(@TempDir Path dir) throws Exception {
        try (LocalMirror m = new LocalMirror()) {
            publish(m, "fleet", false, true, false, null);
            ContentCache cache = new ContentCache(dir.resolve("c"));
            open(config(m, keyring(dir), false, JULY), cache);
            Clock august = Clock.fixed(Instant.parse("2026-08-01T00:00:00Z"), ZoneOffset.UTC);
            FleetkitException e = assertThrows(FleetkitException.class, () -> open(config(m, keyring(dir), true, august), cache));
            assertEquals("debian.release-expired", e.code());
            assertTrue(e.getMessage().contains("cached"), e.getMessage());
        }
    }

    @Test
    void offlineReverifiesTheCachedInRelease(@TempDir Path dir) throws Exception {
        try (LocalMirror m = new LocalMirror()) {
            publish(m, "fleet", false, true, false, null);
            ContentCache cache = new ContentCache(dir.resolve("c"));
            open(config(m, keyring(dir), false, JULY), cache);
            Path named = ContentCacheTest.regularFiles(cache.root().resolve("named")).get(0);
            Files.writeString(named, Files.readString(named).replace("Origin: Test", "Origin: Tent"));
            FleetkitException e = assertThrows(FleetkitException.class, () -> open(config(m, keyring(dir), true, JULY), cache));
            assertEquals("debian.bad-signature", e.code());
        }
    }

    @Test
    void refusesPoolNamesThatLeaveTheMirror(@TempDir Path dir) throws Exception {
        try (LocalMirror m = new LocalMirror()) {
            publish(m, "fleet", false, true, false, null);
            DebianArchive a = open(config(m, keyring(dir), false, JULY), new ContentCache(dir.resolve("c")));
            for (String bad : List.of("../../etc/passwd", "/etc/passwd", "pool/../../x", "http://evil/x.deb", "pool//x", "pool/a b")) {
                assertEquals("debian.path-escape", assertThrows(FleetkitException.class, () -> a.poolUri(bad)).code(), bad);
            }
            assertEquals(m.uri("/debian/pool/main/b/b_1.0+b1~x_arm64.deb"), a.poolUri("pool/main/b/b_1.0+b1~x_arm64.deb"));
        }
    }
}
