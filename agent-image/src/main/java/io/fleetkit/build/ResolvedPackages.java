package io.fleetkit.build;

import io.fleetkit.debian.Resolution;
import io.fleetkit.packages.PackageUniverse;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The userland's packages, each fetched into the cache ({@link ResolvePackagesStep}).
 *
 * @param universe the archive's package index, for the steps that fetch more (kernel, device JDK)
 * @param debs     package id to its {@code .deb} in the cache
 */
record ResolvedPackages(PackageUniverse universe, Resolution resolution, Map<String, Path> debs) {

    ResolvedPackages {
        debs = Collections.unmodifiableMap(new LinkedHashMap<>(debs));
    }
}
