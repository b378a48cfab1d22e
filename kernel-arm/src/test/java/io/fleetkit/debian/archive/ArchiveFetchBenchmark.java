package io.fleetkit.debian.archive;

import io.fleetkit.debian.ControlParagraph;
import io.fleetkit.events.EventSink;
import org.tukaani.xz.XZInputStream;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Run on demand (not a test): prints how long opening bookworm main arm64 takes and the .deb
 * download rate from deb.debian.org, into a fresh temp cache.
 * {@code java -cp target/classes:target/test-classes:<deps> io.fleetkit.debian.archive.ArchiveFetchBenchmark [package...]}
 */
public final class ArchiveFetchBenchmark {

    public static void main(String[] args) throws Exception {
        List<String> wanted = args.length > 0 ? List.of(args) : List.of("busybox-static", "linux-image-6.1.0-50-arm64");
        Path dir = Files.createTempDirectory("fleetkit-bench");
        ContentCache cache = new ContentCache(dir);
        ArchiveConfig config = ArchiveConfig.debian("bookworm", List.of("main"), List.of("arm64"));

        long t0 = System.nanoTime();
        DebianArchive archive = DebianArchive.open(config, cache, EventSink.NONE);
        long t1 = System.nanoTime();
        PackagesIndex index = archive.indexes().get(0);
        long uncompressed = 0;
        try (InputStream in = new XZInputStream(new java.io.BufferedInputStream(Files.newInputStream(index.file()), 1 << 16))) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                uncompressed += n;
            }
        }
        long t2 = System.nanoTime();
        Map<String, ControlParagraph> found = new HashMap<>();
        int[] count = {0};
        archive.forEachPackage((i, p) -> {
            count[0]++;
            if (wanted.contains(p.require("Package"))) {
                found.put(p.require("Package"), p);
            }
        });
        long t3 = System.nanoTime();
        System.out.printf("%-44s %10s %10s%n", "step", "ms", "MB/s");
        System.out.printf("%-44s %10d %10s%n", "open (InRelease + verify + Packages.xz "
                + index.entry().size() / 1_000_000 + " MB)", (t1 - t0) / 1_000_000, "");
        System.out.printf("%-44s %10d %10.1f%n", "xz decompress only (" + uncompressed / 1_000_000 + " MB out)",
                (t2 - t1) / 1_000_000, uncompressed / 1e6 / ((t2 - t1) / 1e9));
        System.out.printf("%-44s %10d %10s%n", "digest check + decompress + parse (" + count[0] + ")",
                (t3 - t2) / 1_000_000, "");
        for (String name : wanted) {
            ControlParagraph p = found.get(name);
            if (p == null) {
                System.out.printf("%-44s %10s%n", name, "not found");
                continue;
            }
            long size = Long.parseLong(p.require("Size"));
            long s = System.nanoTime();
            archive.fetchDeb(p.require("Filename"), p.require("SHA256"), size);
            long e = System.nanoTime();
            System.out.printf("%-44s %10d %10.1f%n", "fetch " + name + " (" + size / 1_000_000 + " MB)",
                    (e - s) / 1_000_000, size / 1e6 / ((e - s) / 1e9));
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
