package io.fleetkit.board;

import io.fleetkit.events.FleetkitException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BoardProfilesTest {

    @Test
    void knowsTheFourBoardsInAFixedOrder() {
        assertEquals(java.util.List.of("qemu-arm64", "qemu-armhf", "rpi3", "rpi4"), BoardProfiles.names());
        assertEquals(4, BoardProfiles.all().size());
    }

    @Test
    void qemuArm64BootsDebianCloudKernelUnderUBoot() {
        BoardProfile board = BoardProfiles.get("qemu-arm64");
        assertEquals(Architecture.ARM64, board.architecture());
        assertEquals("linux-image-cloud-arm64", board.kernelPackage());
        assertEquals(BootloaderKind.UBOOT_SCRIPT, board.bootloader());
        assertTrue(board.deviceTrees().isEmpty(), "qemu virt supplies its own device tree");
        QemuSettings qemu = board.qemu();
        assertEquals("qemu-system-aarch64", qemu.system());
        assertEquals("virt", qemu.machine());
        assertEquals("/usr/lib/u-boot/qemu_arm64/u-boot.bin", qemu.biosPath());
        assertTrue(board.modules().containsAll(java.util.List.of("virtio_blk", "virtio_net", "ext4", "vfat")));
    }

    @Test
    void qemuArmhfUsesTheLpaeKernelAndThe32BitUBoot() {
        BoardProfile board = BoardProfiles.get("qemu-armhf");
        assertEquals(Architecture.ARMHF, board.architecture());
        assertEquals("linux-image-armmp-lpae", board.kernelPackage());
        assertEquals("qemu-system-arm", board.qemu().system());
        assertEquals("/usr/lib/u-boot/qemu_arm/u-boot.bin", board.qemu().biosPath());
    }

    @Test
    void raspberryPisHaveNoQemuSettingsButFirmwareAndDeviceTrees() {
        BoardProfile rpi4 = BoardProfiles.get("rpi4");
        assertNull(rpi4.qemu());
        assertFalse(rpi4.emulated());
        // Debian's kernel cannot set the firmware's tryboot flag, so the Pi 4 uses U-Boot's boot.scr.
        assertEquals(BootloaderKind.UBOOT_SCRIPT, rpi4.bootloader());
        assertTrue(rpi4.deviceTrees().contains("broadcom/bcm2711-rpi-4-b.dtb"));
        assertEquals(java.util.Set.of("raspi-firmware", "u-boot-rpi"), rpi4.firmwarePackages());
        assertTrue(rpi4.firmware().stream().allMatch(FirmwareFile::bootPartition), "the firmware reads everything from p1");
        BoardProfile rpi3 = BoardProfiles.get("rpi3");
        assertTrue(rpi3.firmware().stream().anyMatch(f -> f.targetName().equals("bootcode.bin") && f.bootPartition()));
        assertEquals(java.util.Set.of("raspi-firmware", "u-boot-rpi"), rpi3.firmwarePackages());
    }

    @Test
    void everyPiCarriesItsRestartHandlerAndThePi4ItsSdRegulators() {
        for (String pi : java.util.List.of("rpi3", "rpi4")) {
            BoardProfile board = BoardProfiles.get(pi);
            assertTrue(board.modules().contains("bcm2835_wdt"), pi + ": the only restart handler with Debian's kernel");
            assertTrue(board.raspberryPi(), pi);
            assertEquals(384L << 20, board.loadWindowBytes(), pi);
        }
        assertTrue(BoardProfiles.get("rpi4").modules().containsAll(java.util.List.of("gpio_regulator", "fixed")));
        assertFalse(BoardProfiles.get("qemu-arm64").raspberryPi());
        assertEquals(0, BoardProfiles.get("qemu-arm64").loadWindowBytes(), "qemu virt keeps U-Boot's addresses");
    }

    @Test
    void unknownBoardNamesTheKnownOnes() {
        FleetkitException e = assertThrows(FleetkitException.class, () -> BoardProfiles.get("beaglebone"));
        assertEquals("board.unknown", e.code());
        assertTrue(e.getMessage().contains("beaglebone"));
        assertTrue(e.fix().contains("qemu-arm64, qemu-armhf, rpi3, rpi4"), e.fix());
    }

    @Test
    void raspberryPi5IsRefusedWithTheReason() {
        FleetkitException e = assertThrows(FleetkitException.class, () -> BoardProfiles.get("rpi5"));
        assertTrue(e.getMessage().contains("bcm2712"), e.getMessage());
    }

    @Test
    void layoutDefaultsAddUpBootTwoSlotsAndData() {
        LayoutDefaults layout = LayoutDefaults.ofMiB(16, 256, 64);
        assertEquals((16 + 512 + 64) * 1024L * 1024L, layout.totalBytes());
        assertThrows(IllegalArgumentException.class, () -> LayoutDefaults.ofMiB(0, 1, 1));
    }

    @Test
    void bootloaderKindsRoundTripTheirIds() {
        for (BootloaderKind kind : BootloaderKind.values()) {
            assertEquals(kind, BootloaderKind.fromId(kind.id()));
        }
        assertEquals("board.unknown-bootloader",
                assertThrows(FleetkitException.class, () -> BootloaderKind.fromId("grub")).code());
    }

    @Test
    void firmwareTrybootIsAPi4FamilyOptionWhoseSlotsCarryTheFirmware() {
        BoardProfile tryboot = BoardProfiles.get("rpi4", java.util.Optional.of(BootloaderKind.RPI_TRYBOOT));
        assertEquals(BootloaderKind.RPI_TRYBOOT, tryboot.bootloader());
        assertEquals(java.util.List.of("start4.elf", "fixup4.dat"), tryboot.firmware().stream().map(FirmwareFile::targetName).toList());
        assertTrue(tryboot.firmware().stream().noneMatch(FirmwareFile::bootPartition), "the firmware boots from the slot");
        assertEquals(BootloaderKind.UBOOT_SCRIPT, BoardProfiles.get("rpi4", java.util.Optional.empty()).bootloader());
        FleetkitException e = assertThrows(FleetkitException.class,
                () -> BoardProfiles.get("rpi3", java.util.Optional.of(BootloaderKind.RPI_TRYBOOT)));
        assertEquals("board.boot-method-unsupported", e.code());
        assertTrue(e.fix().contains("uboot-script"), e.fix());
    }
}
