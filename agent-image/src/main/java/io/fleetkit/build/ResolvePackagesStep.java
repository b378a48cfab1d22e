package io.fleetkit.build;

import io.fleetkit.debian.BinaryPackage;
import io.fleetkit.debian.LockFile;
import io.fleetkit.debian.Resolution;
import io.fleetkit.debian.Resolver;
import io.fleetkit.packages.PackageUniverse;
import io.fleetkit.spec.PackageSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves the userland from the signed archive (or takes a lock file's exact set), fetches each
 * .deb into the cache. The lock is written once the kernel is known ({@link WriteLockStep}). The init needs busybox, services need crun, and the
 * data partition needs mke2fs, so those are added when the spec leaves them out.
 */
final class ResolvePackagesStep implements BuildStep<ResolvedPackages> {

    static final List<String> BASE = List.of("busybox-static", "e2fsprogs");

    private final BuildInputs in;

    ResolvePackagesStep(BuildInputs in) {
        this.in = in;
    }

    @Override
    public String name() {
        return "packages";
    }

    @Override
    public ResolvedPackages run() throws IOException {
        PackageUniverse universe = PackageUniverse.open(in.sources(), in.board().architecture().debianName(), in.cache(),
                in.events());
        Path lock = lockToUse(in);
        Resolution resolution;
        if (lock != null) {
            in.events().info("packages", "using exactly the packages of " + lock);
            resolution = Resolver.fromLock(LockFile.read(lock), universe.index());
            requireNeededPackages(in, resolution, lock);
        } else {
            resolution = new Resolver(universe.index(), in.events()).resolve(requests(in), in.spec().debian().exclude());
        }
        Map<String, Path> debs = new LinkedHashMap<>();
        for (BinaryPackage p : resolution.packages()) {
            debs.put(p.id(), universe.fetch(p));
        }
        return new ResolvedPackages(universe, resolution, debs);
    }

    /**
     * A lock pins versions, but it was written for an earlier spec: if the image now needs a
     * package the lock lacks (a service added crun, an update section added the agent's
     * libraries), building from it would make an image that cannot start. Say so instead.
     */
    private static void requireNeededPackages(BuildInputs in, Resolution resolution, Path lock) {
        List<String> missing = new ArrayList<>();
        for (String name : requests(in)) {
            String bare = name.contains("=") ? name.substring(0, name.indexOf('=')) : name;
            if (resolution.get(bare).isEmpty()) {
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

    static Path lockToUse(BuildInputs in) {
        if (in.request().lockFile() != null) {
            return in.request().lockFile();
        }
        return in.spec().debian().lock().filter(Files::exists).orElse(null);
    }

    private static List<String> requests(BuildInputs in) {
        List<String> names = new ArrayList<>();
        for (PackageSpec p : in.spec().packages()) {
            names.add(p.toString());
        }
        List<String> wanted = new ArrayList<>(BASE);
        if (!in.spec().services().isEmpty() || in.spec().update().isPresent()) {
            wanted.add("crun");
        }
        if (in.spec().update().isPresent()) {
            wanted.addAll(AgentServiceStep.RUNTIME_PACKAGES);
        }
        for (String base : wanted) {
            boolean listed = in.spec().packages().stream().anyMatch(p -> p.name().equals(base));
            if (!listed) {
                names.add(base);
                in.events().debug("packages", "added " + base + " (the image needs it)");
            }
        }
        return names;
    }
}
