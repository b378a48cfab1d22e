package io.fleetkit.cli;

import io.fleetkit.board.BoardProfile;
import io.fleetkit.board.BoardProfiles;
import io.fleetkit.events.EventSink;
import io.fleetkit.packages.BoardKernel;
import io.fleetkit.packages.BoardKernelLoader;
import io.fleetkit.packages.PackageSources;
import io.fleetkit.packages.PackageUniverse;
import io.fleetkit.packages.UnpackedDebs;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Which board and kernel to look at; shared by {@code kernel show} and {@code kernel check}. */
public final class BoardKernelOptions {

    @Option(names = "--board", required = true, paramLabel = "BOARD",
            description = "Board profile: qemu-arm64, qemu-armhf, rpi3, rpi4, ... ('fleet kernel boards' lists them).")
    String board;

    @Option(names = "--kernel-package", paramLabel = "NAME", description = "Use this kernel package instead of the board's flavour.")
    String kernelPackage;

    @Option(names = "--kernel-version", paramLabel = "VERSION", description = "Exact version of the kernel package.")
    String kernelVersion;

    @Option(names = "--module", split = ",", paramLabel = "NAME", description = "Modules to add to the board's own.")
    List<String> modules = List.of();

    @Mixin
    ArchiveOptions archive;

    BoardProfile profile() {
        return BoardProfiles.get(board);
    }

    BoardKernel load(EventSink events) throws IOException {
        BoardProfile profile = profile();
        PackageSources sources = archive.sources();
        if (!profile.firmwarePackages().isEmpty() && !sources.components().contains("non-free-firmware")) {
            // Pi firmware lives in non-free-firmware; add it rather than fail.
            List<String> components = new ArrayList<>(sources.components());
            components.add("non-free-firmware");
            sources = sources.withComponents(components);
        }
        PackageUniverse universe = PackageUniverse.open(sources, profile.architecture().debianName(),
                archive.contentCache(), events);
        return new BoardKernelLoader(universe, new UnpackedDebs(archive.contentCache().root()), events)
                .load(profile, kernelPackage, kernelVersion, modules, List.of());
    }
}
