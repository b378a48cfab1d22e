package io.fleetkit.build;

import io.fleetkit.debian.BinaryPackage;
import io.fleetkit.debian.archive.ContentCache;
import io.fleetkit.json.JsonWriter;
import io.fleetkit.kernel.KernelModule;
import io.fleetkit.packages.BoardKernel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The build report ({@code .json}): sizes per part, the exact packages, the kernel, the board,
 * and the SHA-256 of every output, so two builds can be compared without the files. Runs last,
 * so every output it lists is complete.
 */
final class WriteReportStep implements BuildStep<BuildReport> {

    private final BuildInputs in;
    private final BoardKernel kernel;
    private final List<BinaryPackage> packages;
    private final BuildReport.Sizes sizes;
    private final BuildReport.DeviceSettings settings;

    /** @param packages every package in the image, sorted by name ({@link WriteLockStep}) */
    WriteReportStep(BuildInputs in, BoardKernel kernel, List<BinaryPackage> packages, BuildReport.Sizes sizes,
                    BuildReport.DeviceSettings settings) {
        this.in = in;
        this.kernel = kernel;
        this.packages = packages;
        this.sizes = sizes;
        this.settings = settings;
    }

    @Override
    public String name() {
        return "report";
    }

    @Override
    public BuildReport run() throws IOException {
        BuildReport report = new BuildReport(in.spec().name(), in.spec().version(), in.board().name(),
                in.board().architecture().debianName(), in.epoch().getEpochSecond(), kernel(), sizes,
                packages.stream().map(p -> new BuildReport.PackageEntry(p.name(), p.version().toString(), p.architecture(),
                        p.sha256())).toList(),
                outputs(), settings);
        if (in.wants(OutputFormat.REPORT)) {
            Path target = in.outputs().path(OutputFormat.REPORT);
            Path tmp = Files.createTempFile(target.getParent(), ".report-", ".tmp");
            Files.writeString(tmp, JsonWriter.writePretty(report.toJson()));
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return report;
    }

    private BuildReport.Kernel kernel() {
        return new BuildReport.Kernel(
                kernel.kernelPackage().map(BinaryPackage::name).orElse("(supplied by the spec)"),
                kernel.kernelPackage().map(p -> p.version().toString()).orElse(kernel.tree().version()),
                kernel.tree().version(),
                kernel.modules().modules().stream().map(KernelModule::name).toList(),
                kernel.modules().totalBytes());
    }

    /**
     * Every file output asked for and written, but the report itself; the netboot tree is a directory.
     * The files are hashed side by side: the sparse disk image alone is ~370 MB of SHA-256 (~0.25 s
     * on one core), which the slot and the bundle need not wait for.
     */
    private List<BuildReport.OutputFile> outputs() throws IOException {
        List<Path> files = new ArrayList<>();
        for (OutputFormat f : OutputFormat.values()) {
            Path p = in.outputs().path(f);
            if (f != OutputFormat.REPORT && f != OutputFormat.NETBOOT && in.wants(f) && Files.isRegularFile(p)) {
                files.add(p);
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(files.size(),
                Runtime.getRuntime().availableProcessors())));
        try {
            List<Future<String>> digests = new ArrayList<>();
            for (Path p : files) {
                digests.add(pool.submit(() -> ContentCache.sha256Of(p)));
            }
            List<BuildReport.OutputFile> outputs = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                Path p = files.get(i);
                outputs.add(new BuildReport.OutputFile(p.getFileName().toString(), Files.size(p), digests.get(i).get()));
            }
            return outputs;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while hashing the outputs", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
