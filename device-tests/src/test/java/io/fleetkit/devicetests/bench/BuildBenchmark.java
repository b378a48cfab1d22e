package io.fleetkit.devicetests.bench;

import io.fleetkit.board.BoardProfiles;
import io.fleetkit.build.BuildRequest;
import io.fleetkit.build.BuildResult;
import io.fleetkit.build.ImageBuilder;
import io.fleetkit.build.OutputFormat;
import io.fleetkit.debian.archive.ContentCache;
import io.fleetkit.events.EventSink;
import io.fleetkit.run.ConsoleSession;
import io.fleetkit.run.QemuCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code fleet build} of the qemu-arm64 example from a warm cache, next to the same A/B layout
 * made by a shell pipeline of the usual tools (cpio | gzip, mkfs.vfat + mcopy, sfdisk, dd) from
 * the same root tree and kernel; then boot time to the ready line next to a bare busybox
 * initramfs on the same emulator, U-Boot and kernel. Prints a table; not a test.
 *
 * <p>Run: {@code bench/run build} (or see docs/benchmarks.md).
 */
public final class BuildBenchmark {

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args.length > 0 ? args[0] : "target/bench-build").toAbsolutePath();
        Path spec = prepareSpec(work);
        ImageBuilder builder = new ImageBuilder(EventSink.NONE);
        BuildRequest request = new BuildRequest(List.of(spec), work.resolve("out"), java.util.Set.of(), null, null, false,
                ContentCache.fromEnvironment().root(), "gzip", Map.of());
        builder.build(request);                       // warm the cache and the JIT
        long t0 = System.nanoTime();
        BuildResult built = builder.build(request);
        double fleetSeconds = (System.nanoTime() - t0) / 1e9;
        long packaging = built.stepMillis().entrySet().stream()
                .filter(e -> List.of("rootfs", "agent", "init", "initramfs", "slot", "disk").contains(e.getKey()))
                .mapToLong(Map.Entry::getValue).sum();

        ShellPipeline shell = new ShellPipeline(work.resolve("shell"), built);
        double shellSeconds = shell.run();

        double bareBoot = bootSeconds(shell.bareDisk(), "bare-initramfs: ready");
        double fleetBoot = bootSeconds(built.path(OutputFormat.IMG), "fleetkit: ready");

        System.out.println();
        System.out.println("Build of examples/qemu-arm64.yml (warm cache), " + Runtime.getRuntime().availableProcessors() + " cores");
        System.out.printf("%-58s %10s%n", "what", "result");
        System.out.printf("%-58s %9.1f s%n", "fleet build, every step (resolve, kernel, rootfs, agent, ...)", fleetSeconds);
        System.out.printf("%-58s %9.1f s%n", "fleet build, packaging steps (rootfs..disk)", packaging / 1000.0);
        System.out.printf("%-58s %9.1f s%n", "shell pipeline: cpio|gzip -9, mkfs.vfat+mcopy, sfdisk, dd", shellSeconds);
        System.out.printf("%-58s %8.1f MB%n", "fleet slot (kernel + initramfs + agent), LinuxKit says 35",
                built.report().sizes().slot().bytes() / 1e6);
        System.out.printf("%-58s %8.1f MB%n", "shell pipeline slot (same files)", shell.slotBytes() / 1e6);
        System.out.printf("%-58s %9.1f s%n", "boot to ready line: fleet image (U-Boot + kernel + init)", fleetBoot);
        System.out.printf("%-58s %9.1f s%n", "boot to ready line: bare busybox initramfs, same chain", bareBoot);
        System.out.printf("%-58s %9.2f x%n", "fleet boot / bare boot (target: within 3x)", fleetBoot / bareBoot);
    }

    private static Path prepareSpec(Path work) throws IOException {
        Files.createDirectories(work);
        Path keys = work.resolve("keys");
        if (!Files.exists(keys.resolve("signing.key"))) {
            io.fleetkit.keys.FleetKeys.init(keys, java.time.Clock.systemUTC());
        }
        Path spec = work.resolve("qemu-arm64.yml");
        Files.copy(Path.of("..", "examples", "qemu-arm64.yml"), spec, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return spec;
    }

    private static double bootSeconds(Path disk, String readyPrefix) throws Exception {
        long start = System.nanoTime();
        try (ConsoleSession s = ConsoleSession.start(QemuCommand.forDisk(BoardProfiles.get("qemu-arm64"), disk), line -> { })) {
            Optional<Integer> hit = s.await(Pattern.compile("^" + Pattern.quote(readyPrefix)), Duration.ofMinutes(5));
            if (hit.isEmpty()) {
                throw new IllegalStateException("no ready line from " + disk + ":\n" + String.join("\n", tail(s.lines())));
            }
            return (System.nanoTime() - start) / 1e9;
        }
    }

    private static List<String> tail(List<String> l) {
        return new ArrayList<>(l.subList(Math.max(0, l.size() - 20), l.size()));
    }
}
