package io.fleetkit.board;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What Fleetkit needs to know about one kind of board to build a bootable image for it.
 *
 * @param name          stable board name used in specs, e.g. {@code rpi4}
 * @param description   one line for people
 * @param architecture  Debian architecture of kernel and user space
 * @param kernelFlavour Debian kernel flavour; the package is {@code linux-image-<flavour>}
 * @param deviceTrees   dtb paths relative to the kernel's {@code usr/lib/linux-image-<ver>/}; empty when
 *                      the machine supplies its own device tree (qemu {@code virt})
 * @param firmware      files the boot firmware needs, from Debian packages
 * @param console       kernel console argument value, e.g. {@code ttyAMA0,115200}
 * @param modules       kernel modules the board needs to reach its storage and network (module
 *                      names or aliases); the spec's own list is added to these
 * @param bootloader    how slots are chosen
 * @param qemu          emulator settings; null for real hardware
 * @param layout        default partition sizes
 * @param loadWindowBytes the low RAM that U-Boot's load addresses must stay in on every supported model
 *                      (the smallest model's RAM less its GPU's share and U-Boot's own top), or 0 where
 *                      U-Boot's own addresses are kept (qemu virt)
 */
public record BoardProfile(String name, String description, Architecture architecture, String kernelFlavour,
                           List<String> deviceTrees, List<FirmwareFile> firmware, String console,
                           List<String> modules, BootloaderKind bootloader, QemuSettings qemu,
                           LayoutDefaults layout, long loadWindowBytes) {

    public BoardProfile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(kernelFlavour, "kernelFlavour");
        Objects.requireNonNull(console, "console");
        Objects.requireNonNull(bootloader, "bootloader");
        Objects.requireNonNull(layout, "layout");
        if (loadWindowBytes < 0) {
            throw new IllegalArgumentException("loadWindowBytes must not be negative: " + loadWindowBytes);
        }
        deviceTrees = List.copyOf(deviceTrees);
        firmware = List.copyOf(firmware);
        modules = List.copyOf(modules);
    }

    /** The Debian metapackage that tracks the newest kernel of this flavour, e.g. {@code linux-image-rpi}. */
    public String kernelPackage() {
        return "linux-image-" + kernelFlavour;
    }

    /** True for Raspberry Pi boards: started by the GPU firmware, which hands its device tree on. */
    public boolean raspberryPi() {
        return name.startsWith("rpi");
    }

    /** True for boards that run under qemu rather than on hardware. */
    public boolean emulated() {
        return qemu != null;
    }

    public Optional<QemuSettings> qemuSettings() {
        return Optional.ofNullable(qemu);
    }

    /** Debian packages the firmware files come from, sorted; empty for qemu boards. */
    public Set<String> firmwarePackages() {
        Set<String> packages = new TreeSet<>();
        firmware.forEach(f -> packages.add(f.debianPackage()));
        return packages;
    }
}
