package io.fleetkit.board;

import java.util.Objects;

/**
 * How to run an emulated board: {@code <system> -M <machine> -cpu <cpu> -m <memoryMiB> -bios <biosPath>}.
 * The BIOS is U-Boot from the host's Debian package {@code biosPackage}; qemu supplies the device tree.
 *
 * @param system     emulator binary, e.g. {@code qemu-system-aarch64}
 * @param machine    qemu machine type, e.g. {@code virt}
 * @param cpu        qemu CPU model
 * @param memoryMiB  default guest memory
 * @param biosPackage Debian package that ships the BIOS on the host
 * @param biosPath   absolute host path of the U-Boot binary
 */
public record QemuSettings(String system, String machine, String cpu, int memoryMiB,
                           String biosPackage, String biosPath) {

    public QemuSettings {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(machine, "machine");
        Objects.requireNonNull(cpu, "cpu");
        Objects.requireNonNull(biosPackage, "biosPackage");
        Objects.requireNonNull(biosPath, "biosPath");
        if (memoryMiB <= 0) {
            throw new IllegalArgumentException("memoryMiB must be positive: " + memoryMiB);
        }
    }
}
