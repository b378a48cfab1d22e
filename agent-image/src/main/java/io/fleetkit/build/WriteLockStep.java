package io.fleetkit.build;

import io.fleetkit.debian.BinaryPackage;
import io.fleetkit.debian.LockFile;
import io.fleetkit.debian.Resolution;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Writes the exact package set — userland, kernel and firmware — next to the outputs, and into
 * the spec's {@code debian.lock} on the first build, which then pins every later build.
 */
final class WriteLockStep implements BuildStep {

    @Override
    public String name() {
        return "lock";
    }

    @Override
    public void run(BuildContext c) throws IOException {
        List<BinaryPackage> all = new ArrayList<>(c.resolution.packages());
        c.kernel.kernelPackage().ifPresent(p -> addIfMissing(all, p));
        c.kernel.firmwarePackages().forEach(p -> addIfMissing(all, p));
        all.sort(Comparator.comparing(BinaryPackage::name));
        c.allPackages = List.copyOf(all);
        LockFile lock = LockFile.of(new Resolution(all, c.resolution.why()));
        if (c.request.wants(OutputFormat.LOCK)) {
            lock.write(c.outputs.path(OutputFormat.LOCK));
        }
        if (c.request.lockFile() == null && c.spec.debian().lock().isPresent() && !Files.exists(c.spec.debian().lock().get())) {
            lock.write(c.spec.debian().lock().get());
            c.events.info("lock", "pinned " + all.size() + " packages in " + c.spec.debian().lock().get());
        }
    }

    private static void addIfMissing(List<BinaryPackage> all, BinaryPackage p) {
        if (all.stream().noneMatch(q -> q.name().equals(p.name()))) {
            all.add(p);
        }
    }
}
