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
            requireNeededPackages(c, lock);
        } else {
            c.resolution = new Resolver(c.universe.index(), c.events).resolve(requests(c), c.spec.debian().exclude());
        }
        for (BinaryPackage p : c.resolution.packages()) {
            c.debs.put(p.id(), c.universe.fetch(p));
        }
    }

    /**
     * A lock pins versions, but it was written for an earlier spec: if the image now needs a
     * package the lock lacks (a service added crun, an update section added the agent's
     * libraries), building from it would make an image that cannot start. Say so instead.
     */
    private static void requireNeededPackages(BuildContext c, Path lock) {
        List<String> missing = new ArrayList<>();
        for (String name : requests(c)) {
            String bare = name.contains("=") ? name.substring(0, name.indexOf('=')) : name;
            if (c.resolution.get(bare).isEmpty()) {
                missing.add(bare);
            }
        }
        if (!missing.isEmpty()) {
            throw new io.fleetkit.events.FleetkitException("build.lock-incomplete",
                    lock + " was written for another package set: it lacks " + String.join(", ", missing)
                            + ", which this spec needs",
                    "delete " + lock + " to resolve again (the new lock pins the result), or add the packages to it");
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
