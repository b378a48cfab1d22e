package io.fleetkit.build;

import io.fleetkit.board.BoardProfile;
import io.fleetkit.debian.Resolution;
import io.fleetkit.debian.archive.ContentCache;
import io.fleetkit.events.EventSink;
import io.fleetkit.formats.disk.ByteRange;
import io.fleetkit.packages.BoardKernel;
import io.fleetkit.packages.PackageSources;
import io.fleetkit.packages.PackageUniverse;
import io.fleetkit.spec.ImageSpec;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values one build hands from step to step. Each step reads what earlier steps set and sets
 * its own results; nothing here does work.
 */
final class BuildContext {

    final BuildRequest request;
    final EventSink events;
    final ImageSpec spec;
    final BoardProfile board;
    final DiskLayout layout;
    final PackageSources sources;
    final ContentCache cache;
    final Instant epoch;
    final BuildOutputs outputs;

    PackageUniverse universe;
    Resolution resolution;
    Map<String, Path> debs = new LinkedHashMap<>();
    /** Userland, kernel and firmware packages, sorted by name: what the lock and the report list. */
    List<io.fleetkit.debian.BinaryPackage> allPackages = List.of();
    BoardKernel kernel;
    RootTree root;
    List<String> modulePaths = List.of();
    /** The update agent's service, when the image has one. */
    io.fleetkit.spec.ServiceSpec agentService;
    byte[] initramfs;
    byte[] kernelImage;
    String kernelCmdline;
    Path slotImage;
    long slotBytes;
    List<ByteRange> diskRanges = new ArrayList<>();
    final Map<String, Object> report = new LinkedHashMap<>();
    final Map<String, Long> stepMillis = new LinkedHashMap<>();

    BuildContext(BuildRequest request, EventSink events, ImageSpec spec, BoardProfile board, DiskLayout layout,
                 PackageSources sources, ContentCache cache, Instant epoch, BuildOutputs outputs) {
        this.request = request;
        this.events = events;
        this.spec = spec;
        this.board = board;
        this.layout = layout;
        this.sources = sources;
        this.cache = cache;
        this.epoch = epoch;
        this.outputs = outputs;
    }

    /** Every service init starts: the spec's, then the update agent. */
    List<io.fleetkit.spec.ServiceSpec> services() {
        List<io.fleetkit.spec.ServiceSpec> all = new ArrayList<>(spec.services());
        if (agentService != null) {
            all.add(agentService);
        }
        return all;
    }

    /** A deterministic 32-bit value for volume ids and disk signatures, from the image's name and version. */
    int stableId(String purpose) {
        return (spec.name() + "/" + spec.version() + "/" + purpose).hashCode();
    }
}
