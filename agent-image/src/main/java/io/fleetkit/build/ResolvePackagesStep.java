package io.fleetkit.build;

import io.fleetkit.debian.BinaryPackage;
import io.fleetkit.debian.LockFile;
import io.fleetkit.debian.Resolver;
import io.fleetkit.packages.PackageUniverse;
import io.fleetkit.spec.PackageSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves the userland from the signed archive (or takes a lock file's exact set), fetches each
 * .deb into the cache. The lock is written once the kernel is known ({@link WriteLockStep}). The init needs busybox, services need crun, and the
 * data partition needs mke2fs, so those are added when the spec leaves them out.
 */
final class ResolvePackagesStep implements BuildStep {

    static final List<String> BASE = List.of("busybox-static", "e2fsprogs");

    @Override
    public String name() {
        return "packages";
    }

    @Override
    public void run(BuildContext c) throws IOException {
        c.universe = PackageUniverse.open(c.sources, c.board.architecture().debianName(), c.cache, c.events);
        Path lock = lockToUse(c);
        if (lock != null) {
            c.events.info("packages", "using exactly the packages of " + lock);
            c.resolution = Resolver.fromLock(LockFile.read(lock), c.universe.index());
        } else {
            c.resolution = new Resolver(c.universe.index(), c.events).resolve(requests(c), c.spec.debian().exclude());
        }
        for (BinaryPackage p : c.resolution.packages()) {
            c.debs.put(p.id(), c.universe.fetch(p));
        }
    }

    static Path lockToUse(BuildContext c) {
        if (c.request.lockFile() != null) {
            return c.request.lockFile();
        }
        return c.spec.debian().lock().filter(Files::exists).orElse(null);
    }

    private static List<String> requests(BuildContext c) {
        List<String> names = new ArrayList<>();
        for (PackageSpec p : c.spec.packages()) {
            names.add(p.toString());
        }
        List<String> wanted = new ArrayList<>(BASE);
        if (!c.spec.services().isEmpty() || c.spec.update().isPresent()) {
            wanted.add("crun");
        }
        if (c.spec.update().isPresent()) {
            wanted.addAll(AgentServiceStep.RUNTIME_PACKAGES);
        }
        for (String base : wanted) {
            boolean listed = c.spec.packages().stream().anyMatch(p -> p.name().equals(base));
            if (!listed) {
                names.add(base);
                c.events.debug("packages", "added " + base + " (the image needs it)");
            }
        }
        return names;
    }
}
