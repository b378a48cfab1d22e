package io.fleetkit.build;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.board.BoardProfiles;
import io.fleetkit.debian.archive.ContentCache;
import io.fleetkit.events.Event;
import io.fleetkit.formats.cpio.CpioNewcWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The initramfs from the compressed-layer cache has exactly the bytes of compressing every layer as it is written. */
class WriteInitramfsStepTest {

    private static final Instant EPOCH = Instant.parse("2026-01-02T03:04:05Z");

    @TempDir
    Path dir;

    private final List<Event> events = Collections.synchronizedList(new ArrayList<>());

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "xz", "zstd"})
    void cachedLayersGiveTheBytesOfStreamingCompression(String compression) throws IOException {
        RootTree tree = tree(1);
        byte[] expected = streamedAsBefore(tree, compression);

        InitramfsImage cold = step(tree, compression).run();
        assertArrayEquals(expected, cold.bytes(), "compressed now");
        assertTrue(logged("0 of 4 " + compression + " archives from the cache"), events.toString());

        events.clear();
        InitramfsImage warm = step(tree, compression).run();
        assertArrayEquals(expected, warm.bytes(), "from the cache");
        assertTrue(logged("4 of 4 " + compression + " archives from the cache"), events.toString());
        assertEquals(cold.uncompressedBytes(), warm.uncompressedBytes());
    }

    @Test
    void onlyTheChangedLayerIsCompressedAgain() throws IOException {
        step(tree(1), "gzip").run();
        events.clear();
        RootTree next = tree(1);
        next.file("etc/motd", 0644, "a new version\n".getBytes());   // the IMAGE layer only
        assertArrayEquals(streamedAsBefore(next, "gzip"), step(next, "gzip").run().bytes());
        assertTrue(logged("3 of 4 gzip archives from the cache, 1 compressed"), events.toString());
    }

    @Test
    void aDamagedEntryIsCompressedAgainAndReplaced() throws IOException {
        RootTree tree = tree(2);
        byte[] expected = step(tree, "gzip").run().bytes();
        List<Path> entries;
        try (Stream<Path> s = Files.walk(dir.resolve("cache/derived"))) {
            entries = s.filter(Files::isRegularFile).sorted().toList();
        }
        assertEquals(4, entries.size(), "one entry per layer: " + entries);
        Files.write(entries.get(0), new byte[] {1, 2, 3});                         // scribbled
        byte[] cut = Files.readAllBytes(entries.get(1));
        Files.write(entries.get(1), java.util.Arrays.copyOf(cut, cut.length - 1));   // truncated

        events.clear();
        assertArrayEquals(expected, step(tree, "gzip").run().bytes());
        assertEquals(2, events.stream().filter(e -> e instanceof Event.Log l && l.level() == Event.Level.WARN
                && l.message().contains("is damaged")).count(), events.toString());
        events.clear();
        assertArrayEquals(expected, step(tree, "gzip").run().bytes());
        assertTrue(logged("4 of 4 gzip archives from the cache"), "replaced: " + events);
    }

    private WriteInitramfsStep step(RootTree tree, String compression) {
        BuildRequest request = new BuildRequest(List.of(dir.resolve("spec.yml")), dir, Set.of(), null, null, true,
                dir.resolve("cache"), compression, Map.of());
        BuildInputs in = new BuildInputs(request, events::add, null, BoardProfiles.get("qemu-arm64"), null, null,
                new ContentCache(dir.resolve("cache")), EPOCH, null);
        return new WriteInitramfsStep(in, new RootFilesystem(tree, 0, tree.entries().size()));
    }

    /** One entry in each layer, with contents that take the compressors through more than one block. */
    private static RootTree tree(long seed) {
        Random random = new Random(seed);
        byte[] noise = new byte[300_000];
        random.nextBytes(noise);
        byte[] text = "the same line again and again\n".repeat(40_000).getBytes();
        RootTree tree = new RootTree();
        tree.file("usr/bin/busybox", 0755, noise);
        tree.symlink("bin", "usr/bin");
        tree.file("usr/lib/fleetkit/jre/lib/modules", 0644, text);
        tree.file("usr/lib/fleetkit/images/web/rootfs/index.html", 0644, "<h1>web</h1>\n".getBytes());
        tree.file("etc/fleetkit/agent.properties", 0644, "server=ssl://x\n".getBytes());
        tree.directory("run", 0755);
        return tree;
    }

    /** What WriteInitramfsStep wrote before the cache: each layer's cpio streamed through the compressor. */
    private static byte[] streamedAsBefore(RootTree tree, String compression) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int written = 0;
        for (TreeMap<String, RootEntry> layer : WriteInitramfsStep.layers(tree.entries()).values()) {
            if (written++ > 0) {
                bytes.write(new byte[(WriteInitramfsStep.ALIGNMENT - bytes.size() % WriteInitramfsStep.ALIGNMENT)
                        % WriteInitramfsStep.ALIGNMENT]);
            }
            try (OutputStream compressed = Compression.stream(compression, bytes)) {
                CpioNewcWriter cpio = new CpioNewcWriter(compressed, EPOCH.getEpochSecond());
                for (Map.Entry<String, RootEntry> e : layer.entrySet()) {
                    if (e.getValue() instanceof RootEntry.Directory d) {
                        cpio.directory(e.getKey(), d.mode(), d.uid(), d.gid());
                    } else if (e.getValue() instanceof RootEntry.File f) {
                        cpio.file(e.getKey(), f.mode(), f.uid(), f.gid(), f.content());
                    } else if (e.getValue() instanceof RootEntry.Symlink s) {
                        cpio.symlink(e.getKey(), s.target(), s.uid(), s.gid());
                    }
                }
                cpio.finish();
            }
        }
        return bytes.toByteArray();
    }

    private boolean logged(String text) {
        return events.stream().anyMatch(e -> e instanceof Event.Log l && l.message().contains(text));
    }
}
