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
 * @param disk      the disk image
 * @param snapshot  keep the disk unchanged (writes go to a temporary overlay)
 * @param hostForwards qemu hostfwd rules, e.g. {@code tcp::8080-:80}
 */
public record QemuCommand(BoardProfile board, Path disk, boolean snapshot, int memoryMiB, List<String> hostForwards) {

    public QemuCommand {
        hostForwards = List.copyOf(hostForwards);
    }

    public static QemuCommand forDisk(BoardProfile board, Path disk) {
        return new QemuCommand(board, disk, true, 0, List.of());
    }

    public QemuCommand writable() {
        return new QemuCommand(board, disk, false, memoryMiB, hostForwards);
    }

    public QemuCommand withForward(String rule) {
        List<String> f = new ArrayList<>(hostForwards);
        f.add(rule);
        return new QemuCommand(board, disk, snapshot, memoryMiB, f);
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
                "-m", Integer.toString(memoryMiB > 0 ? memoryMiB : q.memoryMiB()), "-smp", "2",
                "-nographic", "-bios", q.biosPath(),
                "-drive", "if=virtio,format=raw,file=" + disk.toAbsolutePath()));
        if (snapshot) {
            a.add("-snapshot");
        }
        StringBuilder net = new StringBuilder("user,id=net0");
        for (String f : hostForwards) {
            net.append(",hostfwd=").append(f);
        }
        a.addAll(List.of("-netdev", net.toString(), "-device", "virtio-net-pci,netdev=net0"));
        a.addAll(List.of("-device", "virtio-rng-pci"));
        return a;
    }
}
