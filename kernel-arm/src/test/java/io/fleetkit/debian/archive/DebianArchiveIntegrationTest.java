package io.fleetkit.debian.archive;

import io.fleetkit.debian.ControlParagraph;
import io.fleetkit.events.Event;
import io.fleetkit.events.EventSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/** Real network: opens bookworm main arm64 on deb.debian.org and fetches busybox-static through the cache. */
class DebianArchiveIntegrationTest {

    @Test
    void opensBookwormArm64AndFetchesBusyboxStaticThroughTheCache(@TempDir Path dir) throws Exception {
        ContentCache cache = new ContentCache(dir.resolve("cache"));
        List<Event> events = new CopyOnWriteArrayList<>();
        EventSink sink = events::add;
        ArchiveConfig config = ArchiveConfig.debian("bookworm", List.of("main"), List.of("arm64"));

        long t0 = System.nanoTime();
        DebianArchive archive = DebianArchive.open(config, cache, sink);
        long opened = System.nanoTime();
        AtomicReference<ControlParagraph> busybox = new AtomicReference<>();
        AtomicInteger count = new AtomicInteger();
        archive.forEachPackage((index, p) -> {
            count.incrementAndGet();
            if (p.require("Package").equals("busybox-static")) {
                busybox.set(p);
            }
        });
        long parsed = System.nanoTime();
        assertEquals("bookworm", archive.release().release().codename());
        assertTrue(count.get() > 50_000, "bookworm main arm64 has tens of thousands of packages, got " + count.get());
        ControlParagraph p = busybox.get();
        assertNotNull(p, "busybox-static is in bookworm main arm64");
        assertEquals("arm64", p.require("Architecture"));

        String filename = p.require("Filename");
        String sha256 = p.require("SHA256");
        long size = Long.parseLong(p.require("Size"));
        long d0 = System.nanoTime();
        Path deb = archive.fetchDeb(filename, sha256, size);
        long d1 = System.nanoTime();
        assertEquals(sha256, ContentCache.sha256Of(deb));
        assertEquals(size, Files.size(deb));
        assertEquals("!<arch>\n", new String(Files.readAllBytes(deb), 0, 8, java.nio.charset.StandardCharsets.US_ASCII));
        assertTrue(events.stream().anyMatch(e -> e instanceof Event.Progress pr && pr.done() == size && pr.total() == size),
                "progress reaches the full size");

        // Offline: InRelease re-verified from the cache, indexes and the .deb are cache hits, no network.
        DebianArchive offline = DebianArchive.open(config.withOffline(true), cache, sink);
        assertEquals(deb, offline.fetchDeb(filename, sha256, size));
        assertEquals(archive.indexes(), offline.indexes());

        long indexBytes = archive.indexes().get(0).entry().size();
        System.out.printf("[measure] InRelease+Packages.xz (%.1f MB) download+verify: %d ms; stream-parse %d paragraphs: %d ms%n",
                indexBytes / 1e6, (opened - t0) / 1_000_000, count.get(), (parsed - opened) / 1_000_000);
        System.out.printf("[measure] %s: %.2f MB in %d ms = %.1f MB/s%n", filename, size / 1e6, (d1 - d0) / 1_000_000,
                size / 1e6 / ((d1 - d0) / 1e9));
    }
}
