package io.fleetkit.ota.boot;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.formats.bootstate.Slot;
import io.fleetkit.formats.rpi.AutobootTxt;
import io.fleetkit.formats.testing.TestDisk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** rpi-tryboot on a real FAT p1: autoboot.txt rewritten in place, read back by mtools; firmware facts from device-tree cells. */
class RpiTrybootBackendTest {

    @TempDir
    Path dir;

    private static void cell(Path node, String name, int value) throws Exception {
        Files.createDirectories(node);
        Files.write(node.resolve(name), ByteBuffer.allocate(4).putInt(value).array());
    }

    @Test
    void trialCommitAndFirmwareFactsRoundTrip() throws Exception {
        TestDisk disk = TestDisk.create(dir, 4, 16, 2, Map.of(
                "autoboot.txt", new AutobootTxt(Slot.A, Slot.B).encode(), "bootcode.bin", new byte[5000]));
        Path node = dir.resolve("dt/chosen/bootloader");
        cell(node, "partition", 2);
        cell(node, "tryboot", 0);
        cell(node, "capabilities", 0xff);   // what a 2024 BCM2711 EEPROM reports: every feature bit
        Path cmdline = Files.writeString(dir.resolve("cmdline"), "console=serial0\n");
        RpiTrybootBackend pi = new RpiTrybootBackend(disk.bootFiles(), node, new KernelCmdlineSlot(cmdline));
        assertEquals(Slot.A, pi.currentSlot());
        assertEquals(Slot.A, pi.committedSlot());
        assertTrue(pi.trialSlot().isEmpty());
        assertEquals(RebootKind.TRYBOOT, pi.trialReboot());

        pi.startTrial(Slot.B);
        byte[] text = disk.mcopyOut("autoboot.txt");
        assertEquals(512, text.length);
        assertEquals("[all]\ntryboot_a_b=1\nboot_partition=2\n[tryboot]\nboot_partition=3\n",
                new String(text, StandardCharsets.US_ASCII).stripTrailing() + "\n");
        disk.fsckClean();

        // the firmware booted partition 3 with the one-shot tryboot flag
        cell(node, "partition", 3);
        cell(node, "tryboot", 1);
        assertEquals(Slot.B, pi.currentSlot());
        assertEquals(Slot.B, pi.trialSlot().orElseThrow());
        assertEquals(Slot.A, pi.committedSlot());
        pi.commit();
        assertArrayEquals(new AutobootTxt(Slot.B, Slot.A).encode(), disk.mcopyOut("autoboot.txt"));
        assertEquals(Slot.B, pi.committedSlot());
        disk.fsckClean();
    }

    @Test
    void fallsBackToTheKernelCommandLineWithoutDeviceTreeFacts() throws Exception {
        TestDisk disk = TestDisk.create(dir, 4, 16, 2, Map.of("autoboot.txt", new AutobootTxt(Slot.B, Slot.A).encode()));
        Path cmdline = Files.writeString(dir.resolve("cmdline"), "fleetkit.slot=B quiet\n");
        RpiTrybootBackend pi = new RpiTrybootBackend(disk.bootFiles(), dir.resolve("none"), new KernelCmdlineSlot(cmdline));
        assertEquals(Slot.B, pi.currentSlot());
        assertEquals(Slot.B, pi.committedSlot());
    }

    @Test
    void refusesToArmATrialWhenTheBootloaderDoesNotReportTrybootABSupport() throws Exception {
        TestDisk disk = TestDisk.create(dir, 4, 16, 2, Map.of("autoboot.txt", new AutobootTxt(Slot.A, Slot.B).encode()));
        Path node = dir.resolve("dt/chosen/bootloader");
        cell(node, "partition", 2);
        RpiTrybootBackend pi = new RpiTrybootBackend(disk.bootFiles(), node,
                new KernelCmdlineSlot(Files.writeString(dir.resolve("cmdline"), "quiet\n")));
        // no capabilities cell at all (an old EEPROM, or not the EEPROM bootloader)
        assertEquals("boot.tryboot-unsupported", assertThrows(FleetkitException.class, () -> pi.startTrial(Slot.B)).code());
        // TRYBOOT (bit 3) without TRYBOOT_A_B (bit 2): an EEPROM from before 2022-10 knows tryboot.txt only
        cell(node, "capabilities", 0x08 | 0x02 | 0x01);
        FleetkitException e = assertThrows(FleetkitException.class, () -> pi.startTrial(Slot.B));
        assertEquals("boot.tryboot-unsupported", e.code());
        assertTrue(e.getMessage().contains("0xb"), e.getMessage());
        assertArrayEquals(new AutobootTxt(Slot.A, Slot.B).encode(), disk.mcopyOut("autoboot.txt"), "nothing was armed");
        cell(node, "capabilities", 0x0c);
        pi.startTrial(Slot.B);
    }
}
