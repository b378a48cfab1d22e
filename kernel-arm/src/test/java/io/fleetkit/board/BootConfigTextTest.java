package io.fleetkit.board;

import io.fleetkit.events.FleetkitException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BootConfigTextTest {

    @Test
    void autobootSelectsSlotAAndTrybootSlotB() {
        assertEquals("[all]\ntryboot_a_b=1\nboot_partition=2\n[tryboot]\nboot_partition=3\n",
                BootConfigText.autobootTxt(2, 3));
    }

    @Test
    void committingSlotBSwapsThePartitions() {
        String text = BootConfigText.autobootTxt(3, 2);
        assertTrue(text.contains("[all]\ntryboot_a_b=1\nboot_partition=3\n"));
        assertTrue(text.endsWith("[tryboot]\nboot_partition=2\n"));
    }

    @Test
    void autobootFitsTheFirmwaresLimit() {
        assertTrue(BootConfigText.autobootTxt(2, 3).getBytes(StandardCharsets.US_ASCII).length
                <= BootConfigText.AUTOBOOT_MAX_BYTES);
    }

    @Test
    void autobootRejectsTheBootPartitionAndEqualSlots() {
        assertThrows(IllegalArgumentException.class, () -> BootConfigText.autobootTxt(1, 3));
        assertThrows(IllegalArgumentException.class, () -> BootConfigText.autobootTxt(2, 2));
        assertThrows(IllegalArgumentException.class, () -> BootConfigText.autobootTxt(2, 5));
    }

    @Test
    void configTxtStarts64BitKernelWithInitramfsFollowingIt() {
        String text = BootConfigText.configTxt(PiConfigTxt.standard("vmlinuz.gz", "initrd.img"));
        List<String> lines = text.lines().toList();
        assertTrue(lines.contains("arm_64bit=1"));
        assertTrue(lines.contains("enable_uart=1"));
        assertTrue(lines.contains("upstream_kernel=1"));
        assertTrue(lines.contains("kernel=vmlinuz.gz"));
        assertTrue(lines.contains("initramfs initrd.img followkernel"), "initramfs takes no '='");
        assertFalse(text.contains("device_tree="));
        assertTrue(text.endsWith("\n"));
    }

    @Test
    void configTxtNamesDeviceTreeAndOverlaysInOrder() {
        PiConfigTxt config = PiConfigTxt.standard("kernel8.img", null)
                .withDeviceTree("bcm2711-rpi-cm4-io.dtb")
                .withOverlays(List.of("disable-bt", "gpio-fan,gpiopin=14,temp=60000"));
        String text = BootConfigText.configTxt(config);
        assertTrue(text.contains("device_tree=bcm2711-rpi-cm4-io.dtb\n"));
        assertTrue(text.indexOf("dtoverlay=disable-bt") < text.indexOf("dtoverlay=gpio-fan,gpiopin=14,temp=60000"));
        assertFalse(text.contains("initramfs"));
    }

    @Test
    void configTxtRefusesFileNamesThatWouldBreakTheFile() {
        assertEquals("boot.bad-file-name", assertThrows(FleetkitException.class,
                () -> BootConfigText.configTxt(PiConfigTxt.standard("a b", null))).code());
        assertEquals("boot.bad-file-name", assertThrows(FleetkitException.class,
                () -> BootConfigText.configTxt(PiConfigTxt.standard("k\nkernel=evil", null))).code());
        assertEquals("boot.bad-overlay", assertThrows(FleetkitException.class,
                () -> BootConfigText.configTxt(PiConfigTxt.standard("k", null).withOverlays(List.of("x y")))).code());
    }

    @Test
    void cmdlineIsOneLineOfSpaceSeparatedArguments() {
        String line = BootConfigText.cmdlineTxt(List.of("console=ttyS1,115200", "rdinit=/init", "quiet"));
        assertEquals("console=ttyS1,115200 rdinit=/init quiet\n", line);
        assertEquals(1, line.lines().count());
    }

    @Test
    void cmdlineRefusesArgumentsWithWhitespace() {
        FleetkitException e = assertThrows(FleetkitException.class,
                () -> BootConfigText.cmdlineTxt(List.of("quiet", "init=/bin/sh\nroot=/dev/sda")));
        assertEquals("boot.bad-cmdline", e.code());
    }
}
