package io.fleetkit.build;

import io.fleetkit.debian.BinaryPackage;
import io.fleetkit.events.FleetkitException;
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
        if (c.spec.kernel().image().isPresent()) {
            throw new FleetkitException("build.user-kernel-unsupported",
                    "kernel.image (a kernel of your own) is not supported by this version of fleet build",
                    "use kernel.package with a Debian kernel package for now");
        }
        Optional<BinaryPackage> locked = c.resolution.packages().stream()
                .filter(p -> p.name().startsWith("linux-image-")).findFirst();
        String name = locked.map(BinaryPackage::name).orElse(c.spec.kernel().packageName().orElse(null));
        String version = locked.map(p -> p.version().toString()).orElse(c.spec.kernel().version().orElse(null));
        c.kernel = new BoardKernelLoader(c.universe, new UnpackedDebs(c.cache.root()), c.events)
                .load(c.board, name, version, c.spec.kernel().modules(), c.spec.kernel().dtbs());
    }
}
