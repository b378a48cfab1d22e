package io.fleetkit.kernel;

import io.fleetkit.events.EventSink;
import io.fleetkit.events.FleetkitException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A kernel ready to go into an image: the image file, its version, its config, its modules
 * directory and its device trees. Made from an extracted Debian {@code linux-image-<version>}
 * package with {@link #open(Path)}, or from a user's own kernel with {@link #of}.
 *
 * @param version    kernel release, e.g. {@code 6.1.0-50-cloud-arm64}
 * @param image      kernel image ({@code vmlinuz}; on arm64 Debian ships an uncompressed {@code Image})
 * @param config     kernel {@code .config}, or null when a user kernel comes without one
 * @param modulesDir {@code lib/modules/<version>/}, or null for a kernel without modules
 * @param dtbDir     directory of device trees ({@code usr/lib/linux-image-<version>/}), or null
 */
public record KernelTree(String version, Path image, Path config, Path modulesDir, Path dtbDir) {

    public static KernelTree of(String version, Path image, Path config, Path modulesDir, Path dtbDir) {
        requireFile(image, "kernel image");
        if (config != null) {
            requireFile(config, "kernel config");
        }
        if (modulesDir != null && !Files.isDirectory(modulesDir)) {
            throw missing(modulesDir, "modules directory");
        }
        if (dtbDir != null && !Files.isDirectory(dtbDir)) {
            throw missing(dtbDir, "device-tree directory");
        }
        return new KernelTree(version, image, config, modulesDir, dtbDir);
    }

    /** Reads a tree where a Debian {@code linux-image-<version>} package was extracted (not the metapackage). */
    public static KernelTree open(Path root) throws IOException {
        Path boot = root.resolve("boot");
        List<Path> images;
        try (Stream<Path> list = Files.isDirectory(boot) ? Files.list(boot) : Stream.empty()) {
            images = list.filter(p -> p.getFileName().toString().startsWith("vmlinuz-")).sorted().toList();
        }
        if (images.isEmpty()) {
            throw new FleetkitException("kernel.no-image", "no boot/vmlinuz-* under " + root,
                    "extract the real kernel package (linux-image-<version>-<flavour>), not the linux-image-<flavour> metapackage");
        }
        if (images.size() > 1) {
            throw new FleetkitException("kernel.ambiguous-tree",
                    "several kernels under " + root + ": " + images.stream().map(p -> p.getFileName().toString()).toList(),
                    "extract one kernel package per directory");
        }
        String version = images.get(0).getFileName().toString().substring("vmlinuz-".length());
        Path config = boot.resolve("config-" + version);
        requireFile(config, "kernel config");
        Path modules = firstDirectory(root.resolve("lib/modules/" + version), root.resolve("usr/lib/modules/" + version));
        if (modules == null) {
            throw missing(root.resolve("lib/modules/" + version), "modules directory");
        }
        Path dtbs = root.resolve("usr/lib/linux-image-" + version);
        return new KernelTree(version, images.get(0), config, modules, Files.isDirectory(dtbs) ? dtbs : null);
    }

    public KernelConfig readConfig() throws IOException {
        if (config == null) {
            throw new FleetkitException("kernel.no-config", "kernel " + version + " comes without a config",
                    "give the kernel's .config to get a hardening report");
        }
        return KernelConfig.read(config);
    }

    public ModuleIndex loadModuleIndex(EventSink sink) throws IOException {
        if (modulesDir == null) {
            return new ModuleIndex();
        }
        return ModuleIndexLoader.load(modulesDir, sink);
    }

    /** All device trees ({@code .dtb}) and overlays ({@code .dtbo}), relative to {@link #dtbDir}, sorted. */
    public List<String> deviceTrees() throws IOException {
        if (dtbDir == null) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dtbDir)) {
            return walk.filter(Files::isRegularFile)
                    .map(p -> dtbDir.relativize(p).toString().replace('\\', '/'))
                    .filter(n -> n.endsWith(".dtb") || n.endsWith(".dtbo"))
                    .sorted().toList();
        }
    }

    /** The device tree at {@code relative} (e.g. {@code broadcom/bcm2711-rpi-4-b.dtb}); error if absent. */
    public Path deviceTree(String relative) {
        if (relative.startsWith("/") || relative.contains("..")) {
            throw new IllegalArgumentException("device-tree path must be relative and inside the tree: " + relative);
        }
        Path file = dtbDir == null ? null : dtbDir.resolve(relative);
        if (file == null || !Files.isRegularFile(file)) {
            throw new FleetkitException("kernel.missing-device-tree",
                    "kernel " + version + " has no device tree " + relative
                            + (dtbDir == null ? " (it ships no device trees)" : " under " + dtbDir),
                    "pick a kernel flavour that supports this board, or give the .dtb yourself");
        }
        return file;
    }

    private static Path firstDirectory(Path... candidates) {
        for (Path candidate : candidates) {
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static void requireFile(Path file, String what) {
        if (file == null || !Files.isRegularFile(file)) {
            throw missing(file, what);
        }
    }

    private static FleetkitException missing(Path path, String what) {
        return new FleetkitException("kernel.incomplete-tree", what + " not found: " + path,
                "extract the whole linux-image-<version> package, or point to an existing " + what);
    }
}
