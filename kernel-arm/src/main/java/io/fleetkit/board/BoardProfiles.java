package io.fleetkit.board;

import io.fleetkit.events.FleetkitException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The boards Fleetkit knows. Names of device trees, firmware files and modules were checked against
 * Debian bookworm's packages (linux-image-6.1.0-*-arm64/-cloud-arm64/-armmp-lpae, raspi-firmware
 * 1.20220830, u-boot-qemu and u-boot-rpi 2023.01) by BoardFilesInDebianIntegrationTest.
 *
 * <p>Raspberry Pi 5 is not offered: bookworm's kernel ships no bcm2712 device tree and its
 * raspi-firmware predates the Pi 5.
 */
public final class BoardProfiles {

    /** Every image needs FAT (slots, boot) and ext4 (data); vfat mounts need the default codepages. */
    private static final List<String> FILESYSTEM_MODULES = List.of("vfat", "nls_cp437", "nls_ascii", "ext4");

    /** Raspberry Pi load addresses stay below 384 MiB (UBootLoadAddresses.raspberryPi). */
    private static final long PI_LOAD_WINDOW = 384L * 1024 * 1024;

    private static final List<String> PI4_DEVICE_TREES = List.of("broadcom/bcm2711-rpi-4-b.dtb",
            "broadcom/bcm2711-rpi-400.dtb", "broadcom/bcm2711-rpi-cm4-io.dtb");
    private static final List<String> PI4_MODULES = modules("sdhci_iproc", "gpio_regulator", "fixed", "genet",
            "mdio_bcm_unimac", "broadcom", "reset_raspberrypi", "xhci_pci", "iproc_rng200", "bcm2835_wdt");

    private static final Map<String, BoardProfile> PROFILES = new LinkedHashMap<>();
    /** Other A/B methods a board offers besides its default, by board name. */
    private static final Map<String, Map<BootloaderKind, BoardProfile>> VARIANTS = new LinkedHashMap<>();

    static {
        add(new BoardProfile("qemu-arm64", "qemu virt, 64-bit, U-Boot from u-boot-qemu",
                Architecture.ARM64, "cloud-arm64", List.of(), List.of(), "ttyAMA0,115200",
                modules("virtio_mmio", "virtio_pci", "virtio_blk", "virtio_net", "virtio_rng"),
                BootloaderKind.UBOOT_SCRIPT,
                new QemuSettings("qemu-system-aarch64", "virt", "cortex-a57", 1024,
                        "u-boot-qemu", "/usr/lib/u-boot/qemu_arm64/u-boot.bin"),
                LayoutDefaults.ofMiB(16, 256, 64), 0));
        // armmp-lpae rather than armmp: both have the virtio modules, but only an LPAE kernel can
        // reach qemu virt's PCIe window and RAM above 4 GiB.
        add(new BoardProfile("qemu-armhf", "qemu virt, 32-bit, U-Boot from u-boot-qemu",
                Architecture.ARMHF, "armmp-lpae", List.of(), List.of(), "ttyAMA0,115200",
                modules("virtio_mmio", "virtio_pci", "virtio_blk", "virtio_net", "virtio_rng"),
                BootloaderKind.UBOOT_SCRIPT,
                new QemuSettings("qemu-system-arm", "virt", "cortex-a15", 1024,
                        "u-boot-qemu", "/usr/lib/u-boot/qemu_arm/u-boot.bin"),
                LayoutDefaults.ofMiB(16, 256, 64), 0));
        // The Pi firmware starts Debian's rpi_arm64 U-Boot, which runs boot.scr (the same A/B scheme as
        // on qemu); everything the firmware reads sits on p1. Each slot carries its own device trees.
        // Reboots and watchdog: with Debian's kernel the only restart handler on BCM283x/BCM2711 is
        // bcm2835_wdt (no PSCI in their device trees), so every Pi image carries it.
        // Load addresses stay in the low 384 MiB: the 3A+ and Zero 2 W have 512 MiB, less the GPU's 64.
        add(new BoardProfile("rpi3", "Raspberry Pi 3 B/B+/A+, CM3, Zero 2 W (64-bit), via U-Boot",
                Architecture.ARM64, "arm64",
                List.of("broadcom/bcm2837-rpi-3-b.dtb", "broadcom/bcm2837-rpi-3-b-plus.dtb",
                        "broadcom/bcm2837-rpi-3-a-plus.dtb", "broadcom/bcm2837-rpi-cm3-io3.dtb",
                        "broadcom/bcm2837-rpi-zero-2-w.dtb"),
                List.of(FirmwareFile.raspi("bootcode.bin", true), FirmwareFile.raspi("start.elf", true),
                        FirmwareFile.raspi("fixup.dat", true),
                        new FirmwareFile("u-boot-rpi", "usr/lib/u-boot/rpi_arm64/u-boot.bin", "u-boot.bin", true)),
                "ttyS1,115200",
                modules("bcm2835", "sdhci_iproc", "fixed", "dwc2", "smsc95xx", "lan78xx", "bcm2835_rng", "bcm2835_wdt"),
                BootloaderKind.UBOOT_SCRIPT, null, LayoutDefaults.ofMiB(64, 512, 256), PI_LOAD_WINDOW));
        // Pi 4: the firmware's own tryboot A/B needs the Raspberry Pi kernel's reboot patch ("0 tryboot"),
        // which Debian's kernel lacks, so by default the Pi 4 uses U-Boot's boot.scr too. Its SD controller (emmc2)
        // needs the GPIO and fixed regulators that feed it.
        BoardProfile rpi4 = new BoardProfile("rpi4", "Raspberry Pi 4 B, Pi 400, CM4 (64-bit), via U-Boot",
                Architecture.ARM64, "arm64", PI4_DEVICE_TREES,
                List.of(FirmwareFile.raspi("start4.elf", true), FirmwareFile.raspi("fixup4.dat", true),
                        new FirmwareFile("u-boot-rpi", "usr/lib/u-boot/rpi_arm64/u-boot.bin", "u-boot.bin", true)),
                "ttyS1,115200", PI4_MODULES, BootloaderKind.UBOOT_SCRIPT, null, LayoutDefaults.ofMiB(64, 512, 256), PI_LOAD_WINDOW);
        add(rpi4);
        // The Pi 4 family's firmware A/B, chosen in the spec (boot.method: rpi-tryboot) where the kernel can set the
        // one-shot flag (a Raspberry Pi downstream kernel; the build checks). p1 holds only autoboot.txt; each slot
        // is a whole firmware boot partition: start4.elf, fixup4.dat, config.txt naming the slot's kernel and
        // initramfs, cmdline.txt and the device trees. No U-Boot.
        addVariant(new BoardProfile("rpi4", "Raspberry Pi 4 B, Pi 400, CM4 (64-bit), firmware tryboot A/B",
                Architecture.ARM64, "arm64", PI4_DEVICE_TREES,
                List.of(FirmwareFile.raspi("start4.elf", false), FirmwareFile.raspi("fixup4.dat", false)),
                "ttyS1,115200", PI4_MODULES, BootloaderKind.RPI_TRYBOOT, null, LayoutDefaults.ofMiB(64, 512, 256), 0));
    }

    private BoardProfiles() {
    }

    private static List<String> modules(String... boardModules) {
        List<String> all = new java.util.ArrayList<>(List.of(boardModules));
        all.addAll(FILESYSTEM_MODULES);
        return all;
    }

    private static void add(BoardProfile profile) {
        PROFILES.put(profile.name(), profile);
    }

    private static void addVariant(BoardProfile profile) {
        VARIANTS.computeIfAbsent(profile.name(), n -> new LinkedHashMap<>()).put(profile.bootloader(), profile);
    }

    /**
     * The profile called {@code name} booting with {@code method} (empty = the board's default); a
     * FleetkitException {@code board.boot-method-unsupported} names the methods the board offers.
     */
    public static BoardProfile get(String name, java.util.Optional<BootloaderKind> method) {
        BoardProfile profile = get(name);
        if (method.isEmpty() || method.get() == profile.bootloader()) {
            return profile;
        }
        BoardProfile variant = VARIANTS.getOrDefault(name, Map.of()).get(method.get());
        if (variant == null) {
            List<String> offered = new java.util.ArrayList<>(List.of(profile.bootloader().id()));
            VARIANTS.getOrDefault(name, Map.of()).keySet().forEach(k -> offered.add(k.id()));
            String why = method.get() == BootloaderKind.RPI_TRYBOOT
                    ? " (the firmware's tryboot A/B needs the Pi 4 family's EEPROM bootloader)" : "";
            throw new FleetkitException("board.boot-method-unsupported",
                    "board " + name + " does not offer boot method " + method.get().id() + why,
                    "use one of: " + String.join(", ", offered) + " (or leave boot.method out for " + profile.bootloader().id() + ")");
        }
        return variant;
    }

    /** The profile called {@code name}; a FleetkitException {@code board.unknown} lists the known names. */
    public static BoardProfile get(String name) {
        BoardProfile profile = PROFILES.get(name);
        if (profile == null) {
            String hint = "rpi5".equals(name)
                    ? " (Raspberry Pi 5 is not supported: Debian bookworm's kernel has no bcm2712 device tree)"
                    : "";
            throw new FleetkitException("board.unknown", "unknown board '" + name + "'" + hint,
                    "use one of: " + String.join(", ", names()));
        }
        return profile;
    }

    /** All profiles, in a fixed order. */
    public static List<BoardProfile> all() {
        return List.copyOf(PROFILES.values());
    }

    public static List<String> names() {
        return List.copyOf(PROFILES.keySet());
    }
}
