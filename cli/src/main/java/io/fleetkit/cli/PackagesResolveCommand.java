package io.fleetkit.cli;

import io.fleetkit.debian.BinaryPackage;
import io.fleetkit.debian.LockFile;
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
import picocli.CommandLine.Option;

@Command(name = "resolve",
        description = {
            "Compute the dependency closure of Debian packages for an ARM architecture, from the signed archive.",
            "",
            "Example: fleet packages resolve --arch arm64 busybox-static e2fsprogs -o gateway.lock"
        })
public final class PackagesResolveCommand implements Callable<Integer> {

    @Mixin
    PackageRequestOptions request;

    @Mixin
    ArchiveOptions archive;

    @Mixin
    OutputOptions output;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the lock file (name version arch sha256 size filename).")
    Path lockOut;

    @Override
    public Integer call() throws Exception {
        request.validate();
        EventSink events = output.events();
        PackageUniverse universe = PackageUniverse.open(archive.sources(), request.arch, archive.contentCache(), events);
        Resolution resolution = request.resolve(universe, events);
        if (lockOut != null) {
            LockFile.of(resolution).write(lockOut);
        }
        print(resolution);
        return 0;
    }

    private void print(Resolution resolution) {
        if (output.json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (BinaryPackage p : resolution.packages()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("name", p.name());
                row.put("version", p.version().toString());
                row.put("arch", p.architecture());
                row.put("size", p.size());
                row.put("sha256", p.sha256());
                row.put("why", resolution.why().getOrDefault(p.name(), "requested"));
                rows.add(row);
            }
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("packages", rows);
            doc.put("downloadBytes", resolution.downloadSize());
            doc.put("installedKiB", resolution.installedSizeKiB());
            if (lockOut != null) {
                doc.put("lock", lockOut.toString());
            }
            output.printJson(doc);
            return;
        }
        Table table = new Table("PACKAGE", "VERSION", "ARCH", "SIZE");
        if (output.verbose) {
            table = new Table("PACKAGE", "VERSION", "ARCH", "SIZE", "PULLED IN BY");
        }
        for (BinaryPackage p : resolution.packages()) {
            if (output.verbose) {
                table.row(p.name(), p.version().toString(), p.architecture(), ByteSize.format(p.size()),
                        resolution.why().getOrDefault(p.name(), "requested"));
            } else {
                table.row(p.name(), p.version().toString(), p.architecture(), ByteSize.format(p.size()));
            }
        }
        table.print(output.out());
        output.out().printf("%d packages, %s to download, %s installed%n", resolution.packages().size(),
                ByteSize.format(resolution.downloadSize()), ByteSize.format(resolution.installedSizeKiB() * 1024));
        if (lockOut != null) {
            output.out().println("lock file written: " + lockOut);
        }
        output.out().flush();
    }
}
