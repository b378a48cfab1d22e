package io.fleetkit.cli;

import io.fleetkit.build.BuildReport;
import io.fleetkit.build.BuildRequest;
import io.fleetkit.build.BuildResult;
import io.fleetkit.build.ImageBuilder;
import io.fleetkit.build.OutputFormat;
import io.fleetkit.debian.archive.ContentCache;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "build",
        description = {
            "Build an A/B disk image, slot and update bundle from a YAML spec.",
            "",
            "Build a lean, immutable A/B disk image from a YAML spec: packages from Debian's signed archive,",
            "the board's kernel, an initramfs root with sandboxed services, and the boot glue.",
            "No root and no Docker needed; the same spec and lock give the same bytes.",
            "",
            "Outputs in DIR, named <name>-<version>: .img (disk), .img.bmap, .slot (OTA payload),",
            ".netboot/, .lock, .json (report), .bundle (signed update, when the spec has 'update').",
            "",
            "Example: fleet build examples/qemu-arm64.yml -o out"
        })
public final class BuildCommand implements Callable<Integer> {

    @Parameters(paramLabel = "SPEC", arity = "1..*", description = "Spec files, merged in order (later wins, lists append).")
    List<Path> specs;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", defaultValue = "out", description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path outputDir;

    @Option(names = "--format", split = ",", paramLabel = "FORMAT",
            description = "Outputs to write: img, img.bmap, slot, netboot, lock, json, bundle, img.xz, img.zst (default: all but the compressed images).")
    List<String> formats = List.of();

    @Option(names = "--lock", paramLabel = "FILE", description = "Use exactly the packages of this lock file.")
    Path lock;

    @Option(names = "--mirror", paramLabel = "URL", description = "Debian mirror, overriding the spec's.")
    URI mirror;

    @Option(names = "--offline", description = "Use only the download cache; fail and list what is missing.")
    boolean offline;

    @Option(names = "--cache", paramLabel = "DIR", description = "Download cache (default: $FLEETKIT_CACHE, else $XDG_CACHE_HOME/fleetkit).")
    Path cache;

    @Option(names = "--initramfs-compression", paramLabel = "KIND", defaultValue = "gzip",
            description = "gzip (default), zstd or xz.")
    String compression;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        Set<OutputFormat> wanted = EnumSet.noneOf(OutputFormat.class);
        formats.forEach(f -> wanted.add(OutputFormat.parse(f)));
        Path cacheRoot = cache != null ? cache : ContentCache.fromEnvironment().root();
        BuildRequest request = new BuildRequest(specs, outputDir, wanted, lock, mirror, offline, cacheRoot, compression,
                System.getenv());
        long start = System.nanoTime();
        BuildResult result = new ImageBuilder(output.events()).build(request);
        double seconds = (System.nanoTime() - start) / 1e9;
        BuildReport report = result.report();
        if (output.json) {
            Map<String, Object> doc = new LinkedHashMap<>(report.toJson());
            doc.put("seconds", seconds);
            doc.put("stepMillis", result.stepMillis());
            output.printJson(doc);
            return 0;
        }
        var out = output.out();
        BuildReport.Sizes sizes = report.sizes();
        out.printf("built %s %s for %s in %.1f s%n", report.name(), report.version(), report.board(), seconds);
        out.printf("  kernel     %s%n", ByteSize.format(sizes.slot().kernelBytes()));
        out.printf("  initramfs  %s (%s unpacked)%n", ByteSize.format(sizes.initramfs().bytes()),
                ByteSize.format(sizes.initramfs().uncompressedBytes()));
        out.printf("  slot       %s of a %s partition%n", ByteSize.format(sizes.slot().bytes()),
                ByteSize.format(sizes.slot().partitionBytes()));
        for (BuildReport.OutputFile file : report.outputs()) {
            Path p = outputDir.resolve(file.file());
            out.printf("  %-40s %s%n", p, ByteSize.format(Files.size(p)));
        }
        if (Files.isDirectory(result.path(OutputFormat.NETBOOT))) {
            out.printf("  %-40s (kernel, initramfs, cmdline)%n", result.path(OutputFormat.NETBOOT) + "/");
        }
        out.flush();
        return 0;
    }
}
