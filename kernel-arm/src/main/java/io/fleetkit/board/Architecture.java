package io.fleetkit.board;

/** A Debian ARM architecture that Fleetkit builds images for. */
public enum Architecture {
    ARM64("arm64", "aarch64"),
    ARMHF("armhf", "arm");

    private final String debianName;
    private final String qemuSuffix;

    Architecture(String debianName, String qemuSuffix) {
        this.debianName = debianName;
        this.qemuSuffix = qemuSuffix;
    }

    /** The name Debian uses in package file names and {@code binary-<arch>} index paths. */
    public String debianName() {
        return debianName;
    }

    /** The qemu system emulator for this architecture, e.g. {@code qemu-system-aarch64}. */
    public String qemuSystem() {
        return "qemu-system-" + qemuSuffix;
    }
}
