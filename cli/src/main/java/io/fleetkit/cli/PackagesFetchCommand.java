package io.fleetkit.cli;

import io.fleetkit.debian.BinaryPackage;
import io.fleetkit.debian.Resolution;
import io.fleetkit.events.EventSink;
import io.fleetkit.packages.PackageUniverse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "fetch",
        description = {
            "Resolve Debian packages and download them into the cache, each checked against the signed archive.",
            "Nothing unverified reaches the cache. With --offline, only the cache is used.",
            "",
            "Example: fleet packages fetch --arch armhf busybox-static"
        })
public final class PackagesFetchCommand implements Callable<Integer> {

    @Mixin
    PackageRequestOptions request;

    @Mixin
    ArchiveOptions archive;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        request.validate();
        EventSink events = output.events();
        PackageUniverse universe = PackageUniverse.open(archive.sources(), request.arch, archive.contentCache(), events);
        Resolution resolution = request.resolve(universe, events);
        long start = System.nanoTime();
        Map<String, Path> files = universe.fetchAll(resolution.packages());
        double seconds = (System.nanoTime() - start) / 1e9;
        if (output.json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (BinaryPackage p : resolution.packages()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("name", p.name());
                row.put("version", p.version().toString());
                row.put("sha256", p.sha256());
                row.put("path", files.get(p.id()).toString());
                rows.add(row);
            }
            output.printJson(Map.of("packages", rows, "cache", archive.contentCache().root().toString()));
            return 0;
        }
        Table table = new Table("PACKAGE", "VERSION", "SIZE", "SHA256");
        for (BinaryPackage p : resolution.packages()) {
            table.row(p.name(), p.version().toString(), ByteSize.format(p.size()), p.sha256().substring(0, 16) + "…");
        }
        table.print(output.out());
        output.out().printf("%d packages verified in %s (%s) in %.1f s%n", resolution.packages().size(),
                archive.contentCache().root(), ByteSize.format(resolution.downloadSize()), seconds);
        output.out().flush();
        return 0;
    }
}
