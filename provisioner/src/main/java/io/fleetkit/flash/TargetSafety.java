package io.fleetkit.flash;

import io.fleetkit.events.FleetkitException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Decides whether a block device may be flashed, from a sysfs block tree, a mount table and a
 * proc tree given as paths (so tests use fake trees). Refuses: the disk holding the running
 * system, a mounted disk or one with a mounted partition, a disk something is built on (LVM,
 * dm-crypt, md), a read-only disk, a partition instead of a disk, a disk smaller than the image,
 * a disk another process holds open, and a non-removable disk unless allowed.
 *
 * <p>The open-file scan reads {@code /proc/PID/fd}: as root it sees every process; as another
 * user only that user's own, so it is a help, not a guarantee. The system disk is found both by
 * the name of the device mounted at {@code /} and by the device number of {@code /} (for
 * {@code /dev/root}), given as "major:minor".
 */
public final class TargetSafety {

    private final Path sysBlock;
    private final Path mountTable;
    private final Path procRoot;
    private final String rootDevNumber;

    public TargetSafety(Path sysBlock, Path mountTable, Path procRoot, String rootDevNumber) {
        this.sysBlock = sysBlock;
        this.mountTable = mountTable;
        this.procRoot = procRoot;
        this.rootDevNumber = rootDevNumber;
    }

    /** The running machine's trees. */
    public static TargetSafety system() {
        String dev = null;
        try {
            long d = ((Number) Files.getAttribute(Path.of("/"), "unix:dev")).longValue();
            long major = ((d >>> 8) & 0xfff) | ((d >>> 32) & ~0xfffL);
            long minor = (d & 0xff) | ((d >>> 12) & ~0xffL);
            dev = major + ":" + minor;
        } catch (IOException | UnsupportedOperationException e) {
            // fall back to the mount table alone
        }
        return new TargetSafety(Path.of("/sys/block"), Path.of("/proc/self/mounts"), Path.of("/proc"), dev);
    }

    public Path sysBlock() {
        return sysBlock;
    }

    /** Every disk in the sysfs tree except RAM disks, zram and unused loop devices. */
    public List<BlockDevice> list() throws IOException {
        MountTable mounts = MountTable.read(mountTable);
        List<BlockDevice> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(sysBlock)) {
            for (Path dir : s.sorted().toList()) {
                String name = dir.getFileName().toString();
                if (name.startsWith("ram") || name.startsWith("zram")) {
                    continue;
                }
                BlockDevice d = describe(name, mounts);
                if (name.startsWith("loop") && d.sizeBytes() == 0) {
                    continue;
                }
                out.add(d);
            }
        }
        return out;
    }

    public BlockDevice describe(String name) throws IOException {
        return describe(name, MountTable.read(mountTable));
    }

    /** Throws a refusal that says why and how to override (where one may), or returns the device. */
    public BlockDevice check(Path target, long imageSize, boolean allowFixed) throws IOException {
        String name = (Files.exists(target) ? target.toRealPath() : target).getFileName().toString();
        if (!Files.isDirectory(sysBlock.resolve(name))) {
            Optional<String> disk = parentDisk(name);
            if (disk.isPresent()) {
                throw refuse("flash.target-partition", target + " is partition " + name + " of /dev/" + disk.get(),
                        "give the whole disk: /dev/" + disk.get());
            }
            throw refuse("flash.target-unknown", target + " is not a disk listed in " + sysBlock,
                    "run 'fleet flash --list' to see the disks there are");
        }
        BlockDevice d = describe(name, MountTable.read(mountTable));
        if (d.system()) {
            throw refuse("flash.target-system", target + " holds the running system (the root file system is on it)",
                    "choose another device; this one cannot be overridden");
        }
        if (d.mounted()) {
            throw refuse("flash.target-mounted", target + " is mounted: " + String.join(", ", d.mountPoints()),
                    "unmount it first (udisksctl unmount -b /dev/<partition> or umount " + d.mountPoints().get(0) + ")");
        }
        if (!d.holders().isEmpty()) {
            throw refuse("flash.target-in-use", target + " is in use by " + String.join(", ", d.holders())
                    + " (device mapper, LVM, dm-crypt or RAID)", "close or deactivate those first (dmsetup remove, vgchange -an, cryptsetup close)");
        }
        if (d.readOnly()) {
            throw refuse("flash.target-read-only", target + " is read-only (sysfs ro=1; an SD card's lock switch?)",
                    "slide the card's write-protect switch to unlocked and insert it again");
        }
        if (!d.removable() && !allowFixed) {
            throw refuse("flash.target-fixed", target + " (" + d.model() + ", " + d.sizeBytes()
                    + " bytes) is not a removable disk (sysfs removable=0)",
                    "if it really is the card (some USB readers, eMMC and loop devices report 0), add --allow-fixed");
        }
        if (imageSize > d.sizeBytes()) {
            throw refuse("flash.target-too-small", target + " has " + d.sizeBytes() + " bytes but the image needs "
                    + imageSize, "use a card of at least " + imageSize + " bytes");
        }
        List<String> holders = openBy(d);
        if (!holders.isEmpty()) {
            throw refuse("flash.target-busy", target + " is open in " + String.join(", ", holders),
                    "close those programs (or wait for them) before flashing");
        }
        return d;
    }

    private BlockDevice describe(String name, MountTable mounts) throws IOException {
        Path dir = sysBlock.resolve(name);
        List<String> parts = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                if (Files.exists(p.resolve("partition"))) {
                    parts.add(p.getFileName().toString());
                }
            }
        }
        parts.sort(null);
        List<String> mountPoints = new ArrayList<>(mounts.mountPointsOf(name));
        parts.forEach(p -> mountPoints.addAll(mounts.mountPointsOf(p)));
        String root = mounts.rootDeviceName();
        boolean system = name.equals(root) || parts.contains(root) || mountPoints.contains("/");
        if (rootDevNumber != null) {
            system |= rootDevNumber.equals(read(dir.resolve("dev")));
            for (String p : parts) {
                system |= rootDevNumber.equals(read(dir.resolve(p).resolve("dev")));
            }
        }
        List<String> holders = new ArrayList<>(list(dir.resolve("holders")));
        for (String p : parts) {
            holders.addAll(list(dir.resolve(p).resolve("holders")));
        }
        String sectors = read(dir.resolve("size"));
        long size = sectors == null ? 0 : Long.parseLong(sectors) * 512;
        String vendor = read(dir.resolve("device/vendor"));
        String model = read(dir.resolve("device/model"));
        String label = String.join(" ", Stream.of(vendor, model).filter(s -> s != null && !s.isEmpty()).toList());
        String serial = Stream.of("device/serial", "device/cid", "serial").map(f -> read(dir.resolve(f)))
                .filter(s -> s != null && !s.isEmpty()).findFirst().orElse(null);
        return new BlockDevice(name, Path.of("/dev", name), size, label.isEmpty() ? "?" : label,
                "1".equals(read(dir.resolve("removable"))), "1".equals(read(dir.resolve("ro"))),
                List.copyOf(parts), List.copyOf(mountPoints), List.copyOf(holders), system, serial);
    }

    /** Processes (other than this one) with the disk or one of its partitions open, as "pid (comm)". */
    private List<String> openBy(BlockDevice d) {
        List<String> names = new ArrayList<>(d.partitions());
        names.add(d.name());
        List<String> out = new ArrayList<>();
        String self = Long.toString(ProcessHandle.current().pid());
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(procRoot, p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path proc : procs) {
                if (proc.getFileName().toString().equals(self)) {
                    continue;
                }
                if (holdsOpen(proc.resolve("fd"), names)) {
                    String comm = read(proc.resolve("comm"));
                    out.add(proc.getFileName() + " (" + (comm == null ? "?" : comm) + ")");
                }
            }
        } catch (IOException e) {
            // no proc tree: nothing to report
        }
        return out;
    }

    private static boolean holdsOpen(Path fdDir, List<String> names) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(fdDir)) {
            for (Path fd : fds) {
                try {
                    String link = Files.readSymbolicLink(fd).toString();
                    if (link.startsWith("/dev/") && names.contains(link.substring(5))) {
                        return true;
                    }
                } catch (IOException | UnsupportedOperationException e) {
                    // the fd closed meanwhile, or is not a link
                }
            }
        } catch (IOException e) {
            // another user's process: not visible without root
        }
        return false;
    }

    private Optional<String> parentDisk(String partition) throws IOException {
        if (!Files.isDirectory(sysBlock)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(sysBlock)) {
            return s.filter(d -> Files.exists(d.resolve(partition).resolve("partition")))
                    .map(d -> d.getFileName().toString()).findFirst();
        }
    }

    private static List<String> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    static String read(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8).strip() : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static FleetkitException refuse(String code, String message, String fix) {
        return new FleetkitException(code, "refusing to flash: " + message, fix);
    }
}
