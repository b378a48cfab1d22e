package io.fleetkit.build;

import io.fleetkit.debian.BinaryPackage;
import io.fleetkit.packages.BoardKernelLoader;
import io.fleetkit.packages.UnpackedDebs;
import java.io.IOException;
import java.util.Optional;

/**
 * The board's kernel (or the spec's), its module closure, device trees and firmware. With a lock
 * file, the locked kernel package and version are used, so a rebuild boots the same kernel.
 */
final class LoadKernelStep implements BuildStep {

    @Override
    public String name() {
        return "kernel";
    }

    @Override
    public void run(BuildContext c) throws IOException {
        BoardKernelLoader loader = new BoardKernelLoader(c.universe, new UnpackedDebs(c.cache.root()), c.events);
        if (c.spec.kernel().image().isPresent()) {
            c.kernel = loader.loadSupplied(c.board, c.spec.kernel().image().get(), c.spec.kernel().modulesDir().orElse(null),
                    c.spec.kernel().modules());
            return;
        }
        Optional<BinaryPackage> locked = c.resolution.packages().stream()
                .filter(p -> p.name().startsWith("linux-image-")).findFirst();
        String name = locked.map(BinaryPackage::name).orElse(c.spec.kernel().packageName().orElse(null));
        String version = locked.map(p -> p.version().toString()).orElse(c.spec.kernel().version().orElse(null));
        c.kernel = loader.load(c.board, name, version, c.spec.kernel().modules(), c.spec.kernel().dtbs());
    }
}
