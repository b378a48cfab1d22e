package io.fleetkit.packages;

import io.fleetkit.board.BoardDriverRequirements;
import io.fleetkit.board.BoardProfile;
import io.fleetkit.board.BootloaderKind;
import io.fleetkit.board.FirmwareSelection;
import io.fleetkit.debian.BinaryPackage;
import io.fleetkit.debian.DebianVersion;
import io.fleetkit.events.EventSink;
import io.fleetkit.events.FleetkitException;
import io.fleetkit.kernel.DeviceTreeFile;
import io.fleetkit.kernel.DeviceTreeSelection;
import io.fleetkit.kernel.DriverClosureCheck;
import io.fleetkit.kernel.FlattenedDeviceTree;
import io.fleetkit.kernel.KernelImageStrings;
import io.fleetkit.kernel.KernelModule;
import io.fleetkit.kernel.KernelPackages;
import io.fleetkit.kernel.KernelTree;
import io.fleetkit.kernel.ModuleClosure;
import io.fleetkit.kernel.ModuleIndex;
import io.fleetkit.kernel.TrybootFlagEvidence;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds, fetches and unpacks the kernel a board boots — the flavour's metapackage leads to the
 * real {@code linux-image-<version>-<flavour>} package, or a pinned package/version — and picks
 * the module closure, device trees and firmware files from it.
 */
public final class BoardKernelLoader {

    private final PackageUniverse universe;
    private final UnpackedDebs unpacked;
    private final EventSink events;

    public BoardKernelLoader(PackageUniverse universe, UnpackedDebs unpacked, EventSink events) {
        this.universe = universe;
        this.unpacked = unpacked;
        this.events = events;
    }

    /**
     * @param packageName  kernel package to use instead of the board's flavour, or null
     * @param version      exact version of that package, or null for the newest
     * @param extraModules modules the spec asks for on top of the board's
     * @param extraDtbs    device trees the spec asks for on top of the board's
     */
    public BoardKernel load(BoardProfile board, String packageName, String version, List<String> extraModules,
                            List<String> extraDtbs) throws IOException {
        BinaryPackage image = realImagePackage(packageName != null ? packageName : KernelPackages.metapackage(board.kernelFlavour()),
                version);
        events.info("kernel", "kernel " + image.name() + " " + image.version());
        Path root = unpacked.unpack(universe.fetch(image), image.sha256());
        return complete(board, Optional.of(image), KernelTree.open(root), extraModules, extraDtbs);
    }

    /**
     * A kernel the user built: the image, and optionally its {@code lib/modules/<release>} tree
     * (its directory name is the release) and a directory of its device trees laid out as the
     * board names them (e.g. {@code broadcom/bcm2711-rpi-4-b.dtb}). Boards that boot with device
     * trees from the kernel (the Raspberry Pis) need that directory.
     */
    public BoardKernel loadSupplied(BoardProfile board, Path image, Path modulesDir, Path dtbDir, List<String> extraModules,
                                    List<String> extraDtbs) throws IOException {
        if (!board.deviceTrees().isEmpty() && dtbDir == null) {
            throw new FleetkitException("kernel.supplied-needs-dtbs", "board " + board.name()
                    + " boots with device trees from the kernel; a kernel image alone is not enough",
                    "add kernel.dtbs_dir (the kernel's device trees, e.g. broadcom/bcm2711-rpi-4-b.dtb under it),"
                            + " or use kernel.package (a Debian kernel package)");
        }
        String release = modulesDir != null ? modulesDir.getFileName().toString() : "custom";
        KernelTree tree = KernelTree.of(release, image, null, modulesDir, dtbDir);
        events.info("kernel", "kernel supplied by the spec: " + image + " (release " + release + ")");
        return complete(board, Optional.empty(), tree, modulesDir == null ? List.of() : extraModules, extraDtbs);
    }

    private BoardKernel complete(BoardProfile board, Optional<BinaryPackage> image, KernelTree tree,
                                 List<String> extraModules, List<String> extraDtbs) throws IOException {
        List<String> modules = new ArrayList<>(tree.modulesDir() == null ? List.of() : board.modules());
        modules.addAll(extraModules);
        ModuleIndex index = tree.modulesDir() == null ? null : tree.loadModuleIndex(events);
        ModuleClosure closure = index == null ? new ModuleClosure(List.of(), List.of(), List.of())
                : ModuleClosure.resolve(index, modules);
        List<BinaryPackage> firmwarePackages = new ArrayList<>();
        Map<String, Path> firmwareRoots = new LinkedHashMap<>();
        for (String name : board.firmwarePackages()) {
            BinaryPackage p = universe.index().latest(name).orElseThrow(() -> new FleetkitException("kernel.no-firmware-package",
                    "package " + name + " (firmware for " + board.name() + ") is not in the archive",
                    "Raspberry Pi firmware is in the non-free-firmware component: add --component main,non-free-firmware"));
            firmwarePackages.add(p);
            firmwareRoots.put(name, unpacked.unpack(universe.fetch(p), p.sha256()));
        }
        List<DeviceTreeFile> deviceTrees = DeviceTreeSelection.forBoard(board, tree, extraDtbs);
        if (index != null) {
            requireDrivers(board, tree, index, closure, deviceTrees);
        }
        if (board.bootloader() == BootloaderKind.RPI_TRYBOOT) {
            List<String> initramfs = closure.modules().stream().map(KernelModule::name).toList();
            TrybootFlagEvidence.require(tree, index, initramfs, board.name());
            events.info("kernel", "tryboot: " + TrybootFlagEvidence.of(tree, index, initramfs).why()
                    + " (evidence that it sets the firmware's one-shot flag, not proof)");
        }
        return new BoardKernel(board, image, tree, closure, deviceTrees,
                FirmwareSelection.forBoard(board, firmwareRoots), firmwarePackages);
    }

    /** Every model's tree must reach its storage, console and restart handler with the initramfs's drivers. */
    private void requireDrivers(BoardProfile board, KernelTree tree, ModuleIndex index, ModuleClosure closure,
                                List<DeviceTreeFile> deviceTrees)
            throws IOException {
        List<DriverClosureCheck.Requirement> requirements = BoardDriverRequirements.of(board);
        if (requirements.isEmpty()) {
            return;
        }
        Set<String> loaded = new java.util.HashSet<>();
        closure.modules().forEach(m -> loaded.add(m.name()));
        List<String> problems = new ArrayList<>();
        KernelImageStrings image = KernelImageStrings.read(tree.image());
        for (DeviceTreeFile d : deviceTrees) {
            FlattenedDeviceTree dt = FlattenedDeviceTree.read(Files.readAllBytes(d.source()));
            new DriverClosureCheck(dt, index, loaded, image::containsCompatible).problems(requirements)
                    .forEach(p -> problems.add(d.targetName() + ": " + p));
        }
        if (!problems.isEmpty()) {
            throw new FleetkitException("kernel.driver-missing", "the initramfs cannot drive every " + board.name() + " model: "
                    + String.join("; ", problems), "add the named modules under kernel.modules in the spec");
        }
        events.info("kernel", "drivers: storage, console and restart of " + deviceTrees.size() + " device trees are covered");
    }

    private BinaryPackage realImagePackage(String name, String version) {
        BinaryPackage p = find(name, version);
        if (p.name().startsWith("linux-image-") && !hasKernelFile(p)) {
            // A metapackage: follow its Depends to the versioned image package.
            Optional<String> real = p.depends().stream()
                    .flatMap(r -> r.alternatives().stream())
                    .map(a -> a.name())
                    .filter(n -> n.startsWith("linux-image-") && !n.equals(p.name()))
                    .findFirst();
            if (real.isPresent()) {
                return find(real.get(), null);
            }
        }
        return p;
    }

    /** Versioned image packages are named linux-image-<digit>...; metapackages name only the flavour. */
    private static boolean hasKernelFile(BinaryPackage p) {
        String rest = p.name().substring("linux-image-".length());
        return !rest.isEmpty() && Character.isDigit(rest.charAt(0));
    }

    private BinaryPackage find(String name, String version) {
        Optional<BinaryPackage> p = version == null ? universe.index().latest(name)
                : universe.index().find(name, DebianVersion.parse(version));
        return p.orElseThrow(() -> new FleetkitException("kernel.no-package",
                "kernel package " + name + (version == null ? "" : " " + version) + " is not in the archive for "
                        + universe.index().architecture(),
                "check the name with 'fleet packages resolve --arch " + universe.index().architecture() + " " + name + "'"));
    }
}
