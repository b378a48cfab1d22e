package io.fleetkit.packages;

import io.fleetkit.debian.BinaryPackage;
import io.fleetkit.debian.PackageIndex;
import io.fleetkit.debian.archive.ContentCache;
import io.fleetkit.debian.archive.DebianArchive;
import io.fleetkit.events.EventSink;
import io.fleetkit.events.Event;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every package the configured, verified archives offer for one architecture, and the way to
 * fetch any of them. Remembers which archive each package came from, so a package from the
 * security suite is fetched from the security mirror.
 */
public final class PackageUniverse {

    private final PackageIndex index;
    private final Map<String, DebianArchive> origin;
    private final List<DebianArchive> archives;

    private PackageUniverse(PackageIndex index, Map<String, DebianArchive> origin, List<DebianArchive> archives) {
        this.index = index;
        this.origin = origin;
        this.archives = archives;
    }

    public static PackageUniverse open(PackageSources sources, String architecture, ContentCache cache, EventSink events)
            throws IOException {
        List<DebianArchive> archives = DebianArchive.openAll(sources.archiveConfigs(architecture), cache, events);
        PackageIndex.Builder builder = PackageIndex.builder(architecture);
        Map<String, DebianArchive> origin = new HashMap<>();
        for (DebianArchive archive : archives) {
            String task = "index " + archive.config().suite();
            events.accept(new Event.PhaseStarted(task, "parse"));
            long start = System.nanoTime();
            archive.forEachBinaryPackage((idx, p) -> {
                builder.add(p);
                origin.putIfAbsent(p.id(), archive);
            });
            events.debug(task, "parsed in " + (System.nanoTime() - start) / 1_000_000 + " ms");
        }
        return new PackageUniverse(builder.build(), origin, archives);
    }

    public PackageIndex index() {
        return index;
    }

    public List<DebianArchive> archives() {
        return archives;
    }

    /** The verified .deb of {@code p} in the cache, downloading it if needed. */
    public Path fetch(BinaryPackage p) throws IOException {
        DebianArchive archive = origin.get(p.id());
        if (archive == null) {
            throw new IllegalArgumentException(p.id() + " is not from this universe");
        }
        return archive.fetchDeb(p.filename(), p.sha256(), p.size());
    }

    /** Fetches all, in order; returns package id to cached .deb path. */
    public Map<String, Path> fetchAll(List<BinaryPackage> packages) throws IOException {
        Map<String, Path> out = new LinkedHashMap<>();
        for (BinaryPackage p : packages) {
            out.put(p.id(), fetch(p));
        }
        return out;
    }
}
