package io.fleetkit.build;

import io.fleetkit.debian.BinaryPackage;
import io.fleetkit.packages.BoardKernel;
import io.fleetkit.packages.BoardKernelLoader;
import io.fleetkit.packages.UnpackedDebs;
import java.io.IOException;
import java.util.Optional;

/**
 * The board's kernel (or the spec's), its module closure, device trees and firmware. With a lock
 * file, the locked kernel package and version are used, so a rebuild boots the same kernel.
 */
final class LoadKernelStep implements BuildStep<BoardKernel> {

    private final BuildInputs in;
    private final ResolvedPackages packages;

    LoadKernelStep(BuildInputs in, ResolvedPackages packages) {
        this.in = in;
        this.packages = packages;
    }

    @Override
    public String name() {
        return "kernel";
    }

    @Override
    public BoardKernel run() throws IOException {
        BoardKernelLoader loader = new BoardKernelLoader(packages.universe(), new UnpackedDebs(in.cache().root()),
                in.events());
        if (in.spec().kernel().image().isPresent()) {
            return loader.loadSupplied(in.board(), in.spec().kernel().image().get(),
                    in.spec().kernel().modulesDir().orElse(null), in.spec().kernel().dtbsDir().orElse(null),
                    in.spec().kernel().modules(), in.spec().kernel().dtbs());
        }
        Optional<BinaryPackage> locked = packages.resolution().packages().stream()
                .filter(p -> p.name().startsWith("linux-image-")).findFirst();
        String name = locked.map(BinaryPackage::name).orElse(in.spec().kernel().packageName().orElse(null));
        String version = locked.map(p -> p.version().toString()).orElse(in.spec().kernel().version().orElse(null));
        return loader.load(in.board(), name, version, in.spec().kernel().modules(), in.spec().kernel().dtbs());
    }
}
