package io.fleetkit.devicetests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.build.BuildResult;
import io.fleetkit.build.OutputFormat;
import io.fleetkit.formats.bootstate.BootState;
import io.fleetkit.formats.bootstate.ScriptBootState;
import io.fleetkit.formats.bootstate.Slot;
import io.fleetkit.formats.fat.FatFileInPlace;
import io.fleetkit.formats.mbr.MbrReader;
import io.fleetkit.formats.mbr.PartitionTable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The rpi3 example on qemu's raspi3b machine with the image's own U-Boot and device tree (qemu plays the
 * GPU firmware's part: see RaspberryPiEmulation). One board, powered on twice: it boots to its ready line,
 * reboots through the firmware-tryboot reboot helper (/bin/fleetkit-reboot, added as a file: reboot(2) with
 * RESTART2 "0 tryboot", which a mainline kernel ignores) and bcm2835_wdt (the only restart handler with Debian's
 * kernel) and comes back; then a
 * slot B whose system panics is put on trial with two tries, and U-Boot's boot script brings slot A back.
 * The trial watchdog is off here (fleetkit.watchdog=0): qemu 7.2 resets raspi3b the moment the watchdog is
 * started. No update over MQTT: the emulated Pi has no network (docs/raspberry-pi.md).
 */
@Tag("slow")
class RaspberryPi3EmulatedTest {

    /** From power-on: U-Boot reads a 11 MiB kernel and a 41 MiB initramfs at 1-2 MiB/s from the emulated SD. */
    private static final Duration BOOT = Duration.ofMinutes(6);

    @Test
    void rpi3BootsRebootsThroughTheWatchdogAndFallsBackFromAPanickingTrialSlot() throws Exception {
        BuildResult v1 = SpecVariants.rebootingOnceThroughTheTrybootHelper("rpi3");
        BuildResult broken = SpecVariants.panickingOnboot("rpi3", "2.0.0");
        Path disk = TestBuilds.ROOT.resolve("disks/pi3.img");
        Emulator.copySparse(v1.path(OutputFormat.IMG), disk);
        try (EmulatedDevice pi = new EmulatedDevice("pi3", "rpi3", disk, 0)) {
            Emulator vm = pi.powerOn();
            int state = vm.expect("^fleetkit: boot state seq=1 active=A trial=none", BOOT);
            vm.expect("^fleetkit: device tree broadcom/bcm2837-rpi-3-b\\.dtb from slot A$", state, BOOT);
            vm.expect("fleetkit\\.disk=PARTUUID=[0-9a-f]{8}-02", state, BOOT);
            vm.expect("^fleetkit: disk /dev/mmcblk0 \\(disk signature [0-9a-f]{8}\\)$", state, BOOT);
            vm.expect("bcm2835-wdt .*Broadcom BCM2835 watchdog timer", state, BOOT);
            int ready = vm.expect("^fleetkit: ready gateway-rpi3 1\\.0\\.0 slot=A$", state, BOOT);

            // The helper, run on ARM: the kernel receives RESTART2 with its argument (a mainline kernel has no tryboot
            // notifier and just restarts), the watchdog resets the SoC, and qemu starts U-Boot again on the same card.
            int rebooting = vm.expect("^reboot-once: fleetkit-reboot$", ready, BOOT);
            int restart = vm.expect("reboot: Restarting system with command '0 tryboot'", rebooting, BOOT);
            int again = vm.expect("^fleetkit: boot state seq=1 active=A trial=none", restart, BOOT);
            vm.expect("^fleetkit: ready gateway-rpi3 1\\.0\\.0 slot=A$", again, BOOT);
            pi.cutPower();

            putOnTrial(disk, broken.path(OutputFormat.SLOT), 2);
            vm = pi.powerOn();
            int trial = vm.expect("^fleetkit: trial boot of slot B$", BOOT);
            vm.expect("fleetkit\\.disk=PARTUUID=[0-9a-f]{8}-03 fleetkit\\.trial=1", trial, BOOT);
            vm.expect("^fleetkit: trial boot; watchdog off \\(fleetkit\\.watchdog=0\\)$", trial, BOOT);
            int panic = vm.expect("Kernel panic - not syncing", trial, BOOT);
            int second = vm.expect("^fleetkit: trial boot of slot B$", panic, BOOT);
            int panic2 = vm.expect("Kernel panic - not syncing", second, BOOT);
            int fallback = vm.expect("^fleetkit: slot B did not prove healthy; back to slot A$", panic2, BOOT);
            int back = vm.expect("^fleetkit: ready gateway-rpi3 1\\.0\\.0 slot=A$", fallback, BOOT);
            assertTrue(vm.lines().subList(trial, back).stream().noneMatch(l -> l.startsWith("fleetkit: ready gateway-rpi3 2")),
                    "slot B never came up");
        }
        BootState after = new ScriptBootState(new FatFileInPlace(disk, MbrReader.read(disk).require(1, "boot").startByte())).read().state();
        assertEquals(Slot.A, after.active());
        assertEquals(Slot.B, after.failed());
    }

    /** What the agent does after a download, done here without a network: slot B written, then put on trial. */
    private static void putOnTrial(Path disk, Path slotImage, int tries) throws IOException {
        PartitionTable table = MbrReader.read(disk);
        try (FileChannel in = FileChannel.open(slotImage, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(disk, StandardOpenOption.WRITE)) {
            long start = table.require(3, "slot B").startByte();
            long done = 0;
            while (done < in.size()) {
                done += in.transferTo(done, in.size() - done, out.position(start + done));
            }
            out.force(true);
        }
        new ScriptBootState(new FatFileInPlace(disk, table.require(1, "boot").startByte()))
                .update(s -> new BootState(s.seq(), Slot.A, Slot.B, tries, null));
    }
}
