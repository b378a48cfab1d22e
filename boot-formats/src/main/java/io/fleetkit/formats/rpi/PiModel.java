package io.fleetkit.formats.rpi;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The Raspberry Pi models Fleetkit builds for, as their GPU firmware sees them: which conditional
 * sections of {@code config.txt} apply to them ({@code [pi3]}, {@code [pi4]}, ...), which start and
 * fixup files the firmware loads, whether the SD card must hold {@code bootcode.bin} (Pi 3 family:
 * the boot ROM loads it from the first FAT partition; a Pi 4 has it in its EEPROM), the device tree
 * it picks by upstream and by downstream name, and whether it reads {@code autoboot.txt}'s A/B.
 */
public enum PiModel {
    PI_3_B("Raspberry Pi 3 Model B", Family.PI3, "bcm2837-rpi-3-b.dtb", "bcm2710-rpi-3-b.dtb", "pi3"),
    PI_3_B_PLUS("Raspberry Pi 3 Model B+", Family.PI3, "bcm2837-rpi-3-b-plus.dtb", "bcm2710-rpi-3-b-plus.dtb", "pi3", "pi3+"),
    PI_3_A_PLUS("Raspberry Pi 3 Model A+", Family.PI3, "bcm2837-rpi-3-a-plus.dtb", "bcm2710-rpi-3-a-plus.dtb", "pi3", "pi3+"),
    CM_3("Raspberry Pi Compute Module 3 (IO board)", Family.PI3, "bcm2837-rpi-cm3-io3.dtb", "bcm2710-rpi-cm3.dtb", "pi3", "cm3"),
    ZERO_2_W("Raspberry Pi Zero 2 W", Family.PI3, "bcm2837-rpi-zero-2-w.dtb", "bcm2710-rpi-zero-2-w.dtb", "pi02", "pi0w", "pi0"),
    PI_4_B("Raspberry Pi 4 Model B", Family.PI4, "bcm2711-rpi-4-b.dtb", "bcm2711-rpi-4-b.dtb", "pi4"),
    PI_400("Raspberry Pi 400", Family.PI4, "bcm2711-rpi-400.dtb", "bcm2711-rpi-400.dtb", "pi4", "pi400"),
    CM_4("Raspberry Pi Compute Module 4 (IO board)", Family.PI4, "bcm2711-rpi-cm4-io.dtb", "bcm2711-rpi-cm4.dtb", "pi4", "cm4");

    /** What differs between the Pi 3 and Pi 4 generations' boot. */
    public enum Family {
        PI3("start.elf", "fixup.dat", true, false),
        PI4("start4.elf", "fixup4.dat", false, true);

        public final String startFile;
        public final String fixupFile;
        /** The boot ROM loads bootcode.bin from the card's first FAT partition. */
        public final boolean needsBootcode;
        /** The EEPROM bootloader reads autoboot.txt ({@code tryboot_a_b}, {@code boot_partition}). */
        public final boolean readsAutoboot;

        Family(String startFile, String fixupFile, boolean needsBootcode, boolean readsAutoboot) {
            this.startFile = startFile;
            this.fixupFile = fixupFile;
            this.needsBootcode = needsBootcode;
            this.readsAutoboot = readsAutoboot;
        }
    }

    public final String displayName;
    public final Family family;
    /** The tree's file name under Linux's names, which the firmware prefers with {@code upstream_kernel=1}. */
    public final String upstreamDeviceTree;
    /** The Raspberry Pi kernel's name for it, which the firmware loads otherwise. */
    public final String downstreamDeviceTree;
    /** The model filters whose sections apply to it, e.g. a Pi 400 reads {@code [pi4]} and {@code [pi400]}. */
    public final Set<String> filters;

    PiModel(String displayName, Family family, String upstreamDeviceTree, String downstreamDeviceTree, String... filters) {
        this.displayName = displayName;
        this.family = family;
        this.upstreamDeviceTree = upstreamDeviceTree;
        this.downstreamDeviceTree = downstreamDeviceTree;
        this.filters = Set.of(filters);
    }

    /** The model whose upstream tree is {@code deviceTree} (a path such as {@code broadcom/bcm2711-rpi-4-b.dtb} or a bare name). */
    public static Optional<PiModel> ofDeviceTree(String deviceTree) {
        String name = deviceTree.substring(deviceTree.lastIndexOf('/') + 1);
        return Arrays.stream(values()).filter(m -> m.upstreamDeviceTree.equals(name)).findFirst();
    }

    /** Every model filter the firmware knows (a section under another filter, e.g. {@code [EDID=...]}, is not one of ours). */
    static final List<String> MODEL_FILTERS = List.of("pi1", "pi2", "pi3", "pi3+", "pi4", "pi400", "pi5", "pi500", "cm1", "cm3",
            "cm3+", "cm4", "cm4s", "cm5", "pi0", "pi0w", "pi02");
}
