package io.fleetkit.spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The kernel: a Debian package (default from the board profile) or a user-supplied
 * {@code image} with its {@code modulesDir}. Never both.
 *
 * @param packageName Debian kernel package, e.g. {@code linux-image-cloud-arm64}; empty = board default
 * @param version pinned package version; empty = newest in the suite (or the lock)
 * @param cmdline kernel command line; empty = board default
 * @param modules modules to load at boot (their dependency closure is added by the builder)
 * @param image a kernel image file (resolved, exists)
 * @param modulesDir a {@code lib/modules} directory for that image (resolved, exists)
 * @param dtbs device tree file names to ship; empty = board default
 * @param dtbsDir the device trees of a user-supplied kernel, laid out as the board names them
 *                (e.g. {@code broadcom/bcm2711-rpi-4-b.dtb}); needed on boards whose trees come with the kernel
 */
public record KernelSpec(
        Optional<String> packageName,
        Optional<String> version,
        Optional<String> cmdline,
        List<String> modules,
        Optional<Path> image,
        Optional<Path> modulesDir,
        List<String> dtbs,
        Optional<Path> dtbsDir) {

    public KernelSpec {
        Objects.requireNonNull(packageName);
        Objects.requireNonNull(version);
        Objects.requireNonNull(cmdline);
        modules = List.copyOf(modules);
        Objects.requireNonNull(image);
        Objects.requireNonNull(modulesDir);
        dtbs = List.copyOf(dtbs);
        Objects.requireNonNull(dtbsDir);
    }

    static KernelSpec boardDefault() {
        return new KernelSpec(Optional.empty(), Optional.empty(), Optional.empty(), List.of(),
                Optional.empty(), Optional.empty(), List.of(), Optional.empty());
    }
}
