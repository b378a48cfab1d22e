package io.fleetkit.board;

import io.fleetkit.kernel.DriverClosureCheck.Requirement;
import java.util.List;

/**
 * What each model of a board must be able to drive from its initramfs, checked against every
 * device tree the board ships ({@link io.fleetkit.kernel.DriverClosureCheck}): the SD card's
 * controller, the console UART, and the watchdog with its restart handler. Debian's kernel has no
 * PSCI on these SoCs, so {@code bcm2835_wdt} (a platform device of the PM block's driver) is the
 * only way to reboot.
 */
public final class BoardDriverRequirements {

    private static final Requirement PI_RESTART = new Requirement("watchdog/restart",
            List.of("brcm,bcm2711-pm", "brcm,bcm2835-pm", "brcm,bcm2835-pm-wdt"), "platform:bcm2835-wdt");

    private BoardDriverRequirements() {
    }

    /** Empty for boards whose machine is qemu's (virtio, no device tree in the image). */
    public static List<Requirement> of(BoardProfile board) {
        return switch (board.name()) {
            case "rpi3" -> List.of(new Requirement("storage", List.of("brcm,bcm2835-sdhost"), null), Requirement.console(), PI_RESTART);
            case "rpi4" -> List.of(new Requirement("storage", List.of("brcm,bcm2711-emmc2"), null), Requirement.console(), PI_RESTART);
            default -> List.of();
        };
    }
}
