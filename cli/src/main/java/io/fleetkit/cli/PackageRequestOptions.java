package io.fleetkit.cli;

import io.fleetkit.debian.LockFile;
import io.fleetkit.debian.Resolution;
import io.fleetkit.debian.Resolver;
import io.fleetkit.events.EventSink;
import io.fleetkit.events.UsageException;
import io.fleetkit.packages.PackageUniverse;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What to resolve: an architecture and package names, or a lock file; shared by resolve and fetch. */
public final class PackageRequestOptions {

    private static final Set<String> ARCHES = Set.of("arm64", "armhf");

    @Option(names = "--arch", required = true, paramLabel = "ARCH", description = "Target architecture: arm64 or armhf.")
    String arch;

    @Option(names = "--exclude", split = ",", paramLabel = "NAME",
            description = "Never choose these packages; dependencies only they satisfy are dropped with a warning.")
    List<String> exclude = List.of();

    @Option(names = "--lock", paramLabel = "FILE", description = "Use exactly the packages of this lock file instead of resolving.")
    Path lock;

    @Parameters(paramLabel = "PACKAGE", arity = "0..*",
            description = "Package names; NAME=VERSION pins a version.")
    List<String> packages = List.of();

    void validate() {
        if (!ARCHES.contains(arch)) {
            throw new UsageException("cli.bad-arch", "unknown architecture '" + arch + "'", "use --arch arm64 or --arch armhf");
        }
        if (lock == null && packages.isEmpty()) {
            throw new UsageException("cli.no-packages", "no packages named", "name packages, e.g. busybox-static, or give --lock FILE");
        }
        if (lock != null && !packages.isEmpty()) {
            throw new UsageException("cli.lock-and-packages", "both --lock and package names given",
                    "a lock file fixes the whole set; drop the names or the lock");
        }
    }

    Resolution resolve(PackageUniverse universe, EventSink events) throws IOException {
        if (lock != null) {
            return Resolver.fromLock(LockFile.read(lock), universe.index());
        }
        return new Resolver(universe.index(), events).resolve(packages, exclude);
    }
}
