package io.fleetkit.build;

import io.fleetkit.board.BoardProfile;
import io.fleetkit.board.BoardProfiles;
import io.fleetkit.debian.BinaryPackage;
import io.fleetkit.debian.archive.ContentCache;
import io.fleetkit.events.EventSink;
import io.fleetkit.packages.BoardKernel;
import io.fleetkit.packages.PackageSources;
import io.fleetkit.spec.DebianSpec;
import io.fleetkit.spec.ImageSpec;
import io.fleetkit.spec.SourceDateEpoch;
import io.fleetkit.spec.SpecLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code fleet build}: spec → packages → kernel → root tree (agent, device settings, init) →
 * initramfs → slot → disk → netboot tree → bundle → report, each a {@link BuildStep} run in order by a {@link StepRunner}. The
 * builder wires them: every step is constructed with the earlier steps' typed results it needs,
 * and a step the requested outputs do not need does not run (its result is empty).
 */
public final class ImageBuilder {

    private final EventSink events;

    public ImageBuilder(EventSink events) {
        this.events = events;
    }

    public BuildResult build(BuildRequest request) throws IOException {
        ImageSpec spec = SpecLoader.load(request.specFiles());
        BoardProfile board = BoardProfiles.get(spec.board(), spec.boot().method());
        Instant epoch = SourceDateEpoch.of(spec, request.environment());
        Files.createDirectories(request.outputDir());
        BuildOutputs outputs = new BuildOutputs(request.outputDir(), spec.name() + "-" + spec.version());
        BuildInputs in = new BuildInputs(request, events, spec, board, DiskLayout.of(spec.layout(), board),
                sources(spec, board, request), new ContentCache(request.cacheRoot()), epoch, outputs);
        VersionNumber.of(spec.version());   // refuse versions the devices could not order before doing any work
        events.info("build", "building " + spec.name() + " " + spec.version() + " for " + board.name());
        StepRunner steps = new StepRunner(events);
        BuildReport report = runSteps(in, steps);
        return new BuildResult(outputs, report, new LinkedHashMap<>(steps.stepMillis()));
    }

    private static BuildReport runSteps(BuildInputs in, StepRunner steps) throws IOException {
        ResolvedPackages resolved = steps.run(new ResolvePackagesStep(in));
        BoardKernel kernel = steps.run(new LoadKernelStep(in, resolved));
        List<BinaryPackage> imagePackages = steps.run(new WriteLockStep(in, resolved, kernel));
        AssembledRoot assembled = steps.run(new AssembleRootfsStep(in, resolved, kernel));
        Optional<AgentService> agent = steps.runIf(AgentServiceStep.needed(in),
                () -> new AgentServiceStep(in, resolved.universe(), assembled.tree()));
        DeviceSettingsSupport settings = steps.run(new DeviceSettingsStep(in, resolved.resolution(), assembled.tree()));
        RootFilesystem root = steps.run(new WriteInitStep(in, assembled, kernel, agent, settings));
        InitramfsImage initramfs = steps.run(new WriteInitramfsStep(in, root));
        SlotImage slot = steps.run(new WriteSlotStep(in, kernel, initramfs));
        Optional<DiskImage> disk = steps.runIf(WriteDiskStep.needed(in), () -> new WriteDiskStep(in, kernel, slot));
        Optional<NetbootTree> netboot = steps.runIf(WriteNetbootStep.needed(in),
                () -> new WriteNetbootStep(in, kernel, initramfs, slot, disk));
        Optional<SignedBundle> bundle = steps.runIf(WriteBundleStep.needed(in), () -> new WriteBundleStep(in, slot));
        steps.runIf(CompressImageStep.needed(in), () -> new CompressImageStep(in, disk.orElseThrow(
                () -> new IllegalStateException("compressed images asked for, but no disk image was written"))));
        BuildReport.Sizes sizes = new BuildReport.Sizes(agent.map(AgentService::report), root.report(), initramfs.report(),
                slot.report(), disk.map(DiskImage::report),
                netboot.map(NetbootTree::installBytes).orElseGet(OptionalLong::empty), bundle.map(SignedBundle::report));
        BuildReport report = steps.run(new WriteReportStep(in, kernel, imagePackages, sizes, settings.report()));
        if (!in.wants(OutputFormat.SLOT)) {
            Files.deleteIfExists(slot.file());
        }
        return report;
    }

    private static PackageSources sources(ImageSpec spec, BoardProfile board, BuildRequest request) {
        DebianSpec d = spec.debian();
        List<String> components = new ArrayList<>(d.components());
        if (!board.firmwarePackages().isEmpty() && !components.contains("non-free-firmware")) {
            // Raspberry Pi firmware lives there; asking the user to know that helps nobody.
            components.add("non-free-firmware");
        }
        Path keyring = d.keyring().orElse(PackageSources.DEFAULT_KEYRING);
        PackageSources s = new PackageSources(request.mirror() != null ? request.mirror() : d.mirror(), List.of(d.suite()),
                components, Optional.empty(), keyring, request.offline(), Clock.systemUTC());
        return s.withSecurity(d.security());
    }
}
