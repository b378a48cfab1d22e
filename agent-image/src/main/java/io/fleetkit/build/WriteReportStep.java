package io.fleetkit.build;

import io.fleetkit.debian.BinaryPackage;
import io.fleetkit.debian.archive.ContentCache;
import io.fleetkit.json.JsonWriter;
import io.fleetkit.kernel.KernelModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The build report ({@code .json}): sizes per part, the exact packages, the kernel, the board,
 * and the SHA-256 of every output, so two builds can be compared without the files.
 */
final class WriteReportStep implements BuildStep {

    @Override
    public String name() {
        return "report";
    }

    @Override
    public void run(BuildContext c) throws IOException {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("name", c.spec.name());
        r.put("version", c.spec.version());
        r.put("board", c.board.name());
        r.put("architecture", c.board.architecture().debianName());
        r.put("sourceDateEpoch", c.epoch.getEpochSecond());
        Map<String, Object> kernel = new LinkedHashMap<>();
        kernel.put("package", c.kernel.kernelPackage().map(BinaryPackage::name).orElse("(supplied by the spec)"));
        kernel.put("version", c.kernel.kernelPackage().map(p -> p.version().toString()).orElse(c.kernel.tree().version()));
        kernel.put("release", c.kernel.tree().version());
        kernel.put("modules", c.kernel.modules().modules().stream().map(KernelModule::name).toList());
        kernel.put("modulesBytes", c.kernel.modules().totalBytes());
        r.put("kernel", kernel);
        r.put("sizes", new LinkedHashMap<>(c.report));
        List<Map<String, Object>> packages = new ArrayList<>();
        for (BinaryPackage p : c.allPackages) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", p.name());
            m.put("version", p.version().toString());
            m.put("arch", p.architecture());
            m.put("sha256", p.sha256());
            packages.add(m);
        }
        r.put("packages", packages);
        Map<String, Object> outputs = new LinkedHashMap<>();
        for (OutputFormat f : OutputFormat.values()) {
            Path p = c.outputs.path(f);
            if (f != OutputFormat.REPORT && f != OutputFormat.NETBOOT && c.request.wants(f) && Files.isRegularFile(p)) {
                // bytes, then sha256: Map.of's order changes from one JVM to the next
                Map<String, Object> file = new LinkedHashMap<>();
                file.put("bytes", Files.size(p));
                file.put("sha256", ContentCache.sha256Of(p));
                outputs.put(p.getFileName().toString(), file);
            }
        }
        r.put("outputs", outputs);
        if (c.request.wants(OutputFormat.REPORT)) {
            Path target = c.outputs.path(OutputFormat.REPORT);
            Path tmp = Files.createTempFile(target.getParent(), ".report-", ".tmp");
            Files.writeString(tmp, JsonWriter.writePretty(r));
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        c.report.clear();
        c.report.putAll(r);
    }
}
