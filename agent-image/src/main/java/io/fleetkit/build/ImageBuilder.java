package io.fleetkit.build;

import io.fleetkit.board.BoardProfile;
import io.fleetkit.board.BoardProfiles;
import io.fleetkit.debian.archive.ContentCache;
import io.fleetkit.events.Event;
import io.fleetkit.events.EventSink;
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

/**
 * {@code fleet build}: spec → packages → kernel → root tree → initramfs → slot → disk → netboot
 * tree → bundle → report, each a {@link BuildStep} run in order. Every step takes the previous
 * steps' values from the {@link BuildContext}; the builder only sequences them and reports time.
 */
public final class ImageBuilder {

    private final EventSink events;

    public ImageBuilder(EventSink events) {
        this.events = events;
    }

    public BuildResult build(BuildRequest request) throws IOException {
        ImageSpec spec = SpecLoader.load(request.specFiles());
        BoardProfile board = BoardProfiles.get(spec.board());
        Instant epoch = SourceDateEpoch.of(spec, request.environment());
        Files.createDirectories(request.outputDir());
        BuildOutputs outputs = new BuildOutputs(request.outputDir(), spec.name() + "-" + spec.version());
        BuildContext c = new BuildContext(request, events, spec, board, DiskLayout.of(spec.layout(), board),
                sources(spec, board, request), new ContentCache(request.cacheRoot()), epoch, outputs);
        VersionNumber.of(spec.version());   // refuse versions the devices could not order before doing any work
        events.info("build", "building " + spec.name() + " " + spec.version() + " for " + board.name());
        for (BuildStep step : steps()) {
            if (!step.needed(c)) {
                continue;
            }
            long start = System.nanoTime();
            events.accept(new Event.PhaseStarted("build", step.name()));
            step.run(c);
            long nanos = System.nanoTime() - start;
            c.stepMillis.put(step.name(), nanos / 1_000_000);
            events.accept(new Event.PhaseFinished("build", step.name(), nanos));
        }
        if (!request.wants(OutputFormat.SLOT)) {
            Files.deleteIfExists(c.slotImage);
        }
        return new BuildResult(outputs, new LinkedHashMap<>(c.report), c.stepMillis);
    }

    private static List<BuildStep> steps() {
        List<BuildStep> steps = new ArrayList<>();
        steps.add(new ResolvePackagesStep());
        steps.add(new LoadKernelStep());
        steps.add(new WriteLockStep());
        steps.add(new AssembleRootfsStep());
        steps.add(new AgentServiceStep());
        steps.add(new WriteInitStep());
        steps.add(new WriteInitramfsStep());
        steps.add(new WriteSlotStep());
        steps.add(new WriteDiskStep());
        steps.add(new WriteNetbootStep());
        steps.add(new WriteBundleStep());
        steps.add(new CompressImageStep());
        steps.add(new WriteReportStep());
        return steps;
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
