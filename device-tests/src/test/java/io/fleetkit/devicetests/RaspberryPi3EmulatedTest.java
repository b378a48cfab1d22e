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
 * GPU firmware's part: see RaspberryPiEmulation). The emulated Pi has no network (docs/raspberry-pi.md), so
 * the update comes as a file: version 2.0.0's bundle is put on the boot partition of a fresh 1.0.0 card before
 * the first power-on. The agent installs it into slot B through its update state machine (signature, board and
 * version checked, slot written and read back) and reboots; the trial of B passes its local health checks
 * without a broker (require_broker: false) and is committed; then B reboots once through the firmware-tryboot
 * reboot helper (/bin/fleetkit-reboot, added as a file: reboot(2) with RESTART2 "0 tryboot", which a mainline
 * kernel ignores) and bcm2835_wdt (the only restart handler with Debian's kernel) and comes back committed;
 * then a slot A whose system panics is put on trial with one try, and U-Boot's boot script brings slot B back.
 * The trial watchdog is off here (fleetkit.watchdog=0): qemu 7.2 resets raspi3b the moment the watchdog is started.
 */
@Tag("slow")
class RaspberryPi3EmulatedTest {

    /** From power-on: U-Boot reads a 11 MiB kernel and a 41 MiB initramfs at 1-2 MiB/s from the emulated SD. */
    private static final Duration BOOT = Duration.ofMinutes(6);
    /** The agent's start, then the bundle read from p1 twice (digest, install), slot B written and read back. */
    private static final Duration INSTALL = Duration.ofMinutes(12);

    @Test
    void rpi3InstallsABundleFromItsBootPartitionCommitsOfflineRebootsAndFallsBackFromAPanickingTrialSlot() throws Exception {
        BuildResult v1 = SpecVariants.offline("rpi3", "1.0.0");
        BuildResult v2 = SpecVariants.offline("rpi3", "2.0.0");
        BuildResult broken = SpecVariants.panickingOnboot("rpi3", "2.0.0");
        Path disk = TestBuilds.ROOT.resolve("disks/pi3.img");
        Emulator.copySparse(v1.path(OutputFormat.IMG), disk);
        dropOnBootPartition(disk, v2.path(OutputFormat.BUNDLE));
        try (EmulatedDevice pi = new EmulatedDevice("pi3", "rpi3", disk, 0)) {
            Emulator vm = pi.powerOn();
            int state = vm.expect("^fleetkit: boot state seq=1 active=A trial=none", BOOT);
            vm.expect("^fleetkit: device tree broadcom/bcm2837-rpi-3-b\\.dtb from slot A$", state, BOOT);
            vm.expect("fleetkit\\.disk=PARTUUID=[0-9a-f]{8}-02", state, BOOT);
            vm.expect("^fleetkit: disk /dev/mmcblk0 \\(disk signature [0-9a-f]{8}\\)$", state, BOOT);
            vm.expect("bcm2835-wdt .*Broadcom BCM2835 watchdog timer", state, BOOT);
            vm.expect("^fleetkit: ready gateway-rpi3 1\\.0\\.0 slot=A$", state, BOOT);

            // the first boot finds 2.0.0 on p1 and installs it offline, exactly as it would a download
            int installing = vm.expect("^fleet-agent: INFO DOWNLOADING: installing 2\\.0\\.0 from the file boot:fleetkit-update\\.bundle into slot B$",
                    state, INSTALL);
            int rebooting = vm.expect("^fleet-agent: INFO REBOOTING", installing, INSTALL);
            int trialState = vm.expect("^fleetkit: boot state seq=\\d+ active=A trial=B", rebooting, BOOT);
            int trial = vm.expect("^fleetkit: trial boot of slot B$", trialState, BOOT);
            vm.expect("^fleetkit: ready gateway-rpi3 2\\.0\\.0 slot=B$", trial, BOOT);
            int committed = vm.expect("^fleet-agent: INFO COMMITTED", trial, BOOT);

            // The helper, run on ARM: the kernel receives RESTART2 with its argument (a mainline kernel has no tryboot
            // notifier and just restarts), the watchdog resets the SoC, and qemu starts U-Boot again on the same card.
            int rebootingOnce = vm.expect("^reboot-once: fleetkit-reboot$", committed, BOOT);
            int restart = vm.expect("reboot: Restarting system with command '0 tryboot'", rebootingOnce, BOOT);
            int again = vm.expect("^fleetkit: boot state seq=\\d+ active=B trial=none", restart, BOOT);
            int readyB = vm.expect("^fleetkit: ready gateway-rpi3 2\\.0\\.0 slot=B$", again, BOOT);
            assertTrue(vm.lines().subList(again, readyB).stream().noneMatch(l -> l.startsWith("fleetkit: trial boot")), "no trial after the commit");
            pi.cutPower();

            putOnTrial(disk, broken.path(OutputFormat.SLOT), Slot.B, 1);
            vm = pi.powerOn();
            int trialA = vm.expect("^fleetkit: trial boot of slot A$", BOOT);
            vm.expect("fleetkit\\.disk=PARTUUID=[0-9a-f]{8}-02 fleetkit\\.trial=1", trialA, BOOT);
            vm.expect("^fleetkit: trial boot; watchdog off \\(fleetkit\\.watchdog=0\\)$", trialA, BOOT);
            int panic = vm.expect("Kernel panic - not syncing", trialA, BOOT);
            int fallback = vm.expect("^fleetkit: slot A did not prove healthy; back to slot B$", panic, BOOT);
            int back = vm.expect("^fleetkit: ready gateway-rpi3 2\\.0\\.0 slot=B$", fallback, BOOT);
            assertTrue(vm.lines().subList(trialA, back).stream().noneMatch(l -> l.startsWith("fleet-agent: INFO DOWNLOADING")),
                    "the bundle still on p1 is not installed again");
        }
        BootState after = new ScriptBootState(new FatFileInPlace(disk, MbrReader.read(disk).require(1, "boot").startByte())).read().state();
        assertEquals(Slot.B, after.active());
        assertEquals(Slot.A, after.failed());
    }

    /** Copies {@code bundle} onto p1 as the agent's default offline drop file, the way any computer that reads FAT would (mtools). */
    private static void dropOnBootPartition(Path disk, Path bundle) throws Exception {
        long p1 = MbrReader.read(disk).require(1, "boot").startByte();
        Process p = new ProcessBuilder("mcopy", "-o", "-i", disk + "@@" + p1, bundle.toString(), "::/fleetkit-update.bundle")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "mcopy (Debian package mtools) failed: " + out);
    }

    /** What the agent does after a download, done here by hand: the slot other than {@code active} written, then put on trial. */
    private static void putOnTrial(Path disk, Path slotImage, Slot active, int tries) throws IOException {
        PartitionTable table = MbrReader.read(disk);
        try (FileChannel in = FileChannel.open(slotImage, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(disk, StandardOpenOption.WRITE)) {
            long start = table.require(active.other().partition(), "slot " + active.other()).startByte();
            long done = 0;
            while (done < in.size()) {
                done += in.transferTo(done, in.size() - done, out.position(start + done));
            }
            out.force(true);
        }
        new ScriptBootState(new FatFileInPlace(disk, table.require(1, "boot").startByte()))
                .update(s -> new BootState(s.seq(), active, active.other(), tries, null));
    }
}
