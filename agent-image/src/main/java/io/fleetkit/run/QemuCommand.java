package io.fleetkit.run;

import io.fleetkit.board.BoardProfile;
import io.fleetkit.board.QemuSettings;
import io.fleetkit.events.FleetkitException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The emulator command line for a board: {@code qemu-system-aarch64|arm -M virt} with Debian's
 * U-Boot as firmware, the disk as a virtio drive, user networking (the host is 10.0.2.2), and the
 * serial console on stdio. Without {@code -no-reboot}, a reboot inside the guest resets the
 * machine on the same disk, which the A/B logic needs.
 *
 * @param disk      the disk image, or null for a board with no disk (netboot)
 * @param snapshot  keep the disk unchanged (writes go to a temporary overlay)
 * @param hostForwards qemu hostfwd rules, e.g. {@code tcp::8080-:80}
 * @param tap       an existing tap interface to plug the network card into instead of user
 *                  networking, or null; netboot needs it, because user networking answers
 *                  DHCP and TFTP itself
 * @param cpus      virtual CPUs, 0 for the default of 2; many guests on few host cores boot
 *                  faster with 1 each, because every virtual CPU is a host thread under TCG
 */
public record QemuCommand(BoardProfile board, Path disk, boolean snapshot, int memoryMiB, List<String> hostForwards,
                          String tap, int cpus) {

    public QemuCommand {
        hostForwards = List.copyOf(hostForwards);
        if (tap != null && !hostForwards.isEmpty()) {
            throw new IllegalArgumentException("host forwards need user networking, not tap " + tap);
        }
        if (tap != null && !tap.matches("[A-Za-z0-9_.-]{1,15}")) {
            throw new IllegalArgumentException("not an interface name: '" + tap + "'");
        }
        if (cpus < 0) {
            throw new IllegalArgumentException("cpus must not be negative: " + cpus);
        }
    }

    public QemuCommand(BoardProfile board, Path disk, boolean snapshot, int memoryMiB, List<String> hostForwards, String tap) {
        this(board, disk, snapshot, memoryMiB, hostForwards, tap, 0);
    }

    public QemuCommand(BoardProfile board, Path disk, boolean snapshot, int memoryMiB, List<String> hostForwards) {
        this(board, disk, snapshot, memoryMiB, hostForwards, null);
    }

    /** A board with no disk whose network card sits on {@code tap}: it can only boot from the network. */
    public static QemuCommand netboot(BoardProfile board, String tap) {
        return new QemuCommand(board, null, false, 0, List.of(), tap);
    }

    public static QemuCommand forDisk(BoardProfile board, Path disk) {
        return new QemuCommand(board, disk, true, 0, List.of());
    }

    public QemuCommand writable() {
        return new QemuCommand(board, disk, false, memoryMiB, hostForwards, tap, cpus);
    }

    public QemuCommand withMemory(int mib) {
        return new QemuCommand(board, disk, snapshot, mib, hostForwards, tap, cpus);
    }

    public QemuCommand withCpus(int n) {
        return new QemuCommand(board, disk, snapshot, memoryMiB, hostForwards, tap, n);
    }

    public QemuCommand withForward(String rule) {
        List<String> f = new ArrayList<>(hostForwards);
        f.add(rule);
        return new QemuCommand(board, disk, snapshot, memoryMiB, f, tap, cpus);
    }

    public List<String> argv() {
        QemuSettings q = board.qemuSettings().orElseThrow(() -> new FleetkitException("run.not-emulated",
                "board " + board.name() + " is real hardware and cannot be emulated",
                "flash the image with 'fleet flash', or build for qemu-arm64 / qemu-armhf to try it here"));
        if (!Files.isRegularFile(Path.of(q.biosPath()))) {
            throw new FleetkitException("run.no-firmware", "U-Boot for qemu is missing: " + q.biosPath(),
                    "sudo apt-get install " + q.biosPackage() + " qemu-system-arm");
        }
        List<String> a = new ArrayList<>(List.of(q.system(), "-M", q.machine(), "-cpu", q.cpu(),
                "-m", Integer.toString(memoryMiB > 0 ? memoryMiB : q.memoryMiB()), "-smp", Integer.toString(cpus > 0 ? cpus : 2),
                "-nographic", "-bios", q.biosPath()));
        if (disk != null) {
            a.addAll(List.of("-drive", "if=virtio,format=raw,file=" + disk.toAbsolutePath()));
            if (snapshot) {
                a.add("-snapshot");
            }
        }
        StringBuilder net = new StringBuilder();
        if (tap != null) {
            // script=no: the caller made and configured the tap; qemu must not run /etc/qemu-ifup.
            net.append("tap,id=net0,ifname=").append(tap).append(",script=no,downscript=no");
        } else {
            net.append("user,id=net0");
            for (String f : hostForwards) {
                net.append(",hostfwd=").append(f);
            }
        }
        a.addAll(List.of("-netdev", net.toString(), "-device", "virtio-net-pci,netdev=net0,romfile="));
        a.addAll(List.of("-device", "virtio-rng-pci"));
        return a;
    }
}
