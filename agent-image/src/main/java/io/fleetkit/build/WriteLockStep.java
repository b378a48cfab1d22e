package io.fleetkit.build;

import io.fleetkit.debian.BinaryPackage;
import io.fleetkit.debian.LockFile;
import io.fleetkit.debian.Resolution;
import io.fleetkit.packages.BoardKernel;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Writes the exact package set — userland, kernel and firmware — next to the outputs, and into
 * the spec's {@code debian.lock} on the first build, which then pins every later build. Returns
 * that set, sorted by name: what the report lists.
 */
final class WriteLockStep implements BuildStep<List<BinaryPackage>> {

    private final BuildInputs in;
    private final ResolvedPackages packages;
    private final BoardKernel kernel;

    WriteLockStep(BuildInputs in, ResolvedPackages packages, BoardKernel kernel) {
        this.in = in;
        this.packages = packages;
        this.kernel = kernel;
    }

    @Override
    public String name() {
        return "lock";
    }

    @Override
    public List<BinaryPackage> run() throws IOException {
        List<BinaryPackage> all = new ArrayList<>(packages.resolution().packages());
        kernel.kernelPackage().ifPresent(p -> addIfMissing(all, p));
        kernel.firmwarePackages().forEach(p -> addIfMissing(all, p));
        all.sort(Comparator.comparing(BinaryPackage::name));
        LockFile lock = LockFile.of(new Resolution(all, packages.resolution().why()));
        if (in.wants(OutputFormat.LOCK)) {
            lock.write(in.outputs().path(OutputFormat.LOCK));
        }
        if (in.request().lockFile() == null && in.spec().debian().lock().isPresent()
                && !Files.exists(in.spec().debian().lock().get())) {
            lock.write(in.spec().debian().lock().get());
            in.events().info("lock", "pinned " + all.size() + " packages in " + in.spec().debian().lock().get());
        }
        return List.copyOf(all);
    }

    private static void addIfMissing(List<BinaryPackage> all, BinaryPackage p) {
        if (all.stream().noneMatch(q -> q.name().equals(p.name()))) {
            all.add(p);
        }
    }
}
