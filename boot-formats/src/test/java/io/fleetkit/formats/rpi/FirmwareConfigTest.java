package io.fleetkit.formats.rpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.events.FleetkitException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FirmwareConfigTest {

    private static FirmwareConfig read(String text, PiModel model, boolean tryboot) {
        return FirmwareConfig.read(text.getBytes(StandardCharsets.US_ASCII), model, tryboot, "config.txt");
    }

    @Test
    void theLastSettingReadWinsAndCommentsAndBlankLinesAreSkipped() {
        FirmwareConfig c = read("# hello\nkernel=a.img\n\n  kernel=b.img  \r\narm_64bit=1\n", PiModel.PI_4_B, false);
        assertEquals(Optional.of("b.img"), c.get("kernel"));
        assertTrue(c.enabled("arm_64bit"));
        assertFalse(c.enabled("enable_uart"));
    }

    @Test
    void aModelFilterReplacesThePreviousOneAndAllEndsThem() {
        String text = "kernel=common\n[pi3]\nkernel=three\n[pi4]\nkernel=four\n[pi400]\ndevice_tree=x.dtb\n[all]\nenable_uart=1\n";
        assertEquals(Optional.of("three"), read(text, PiModel.PI_3_B, false).get("kernel"));
        assertEquals(Optional.of("four"), read(text, PiModel.PI_400, false).get("kernel"));
        assertEquals(Optional.of("x.dtb"), read(text, PiModel.PI_400, false).get("device_tree"));
        assertEquals(Optional.empty(), read(text, PiModel.PI_4_B, false).get("device_tree"));
        assertEquals(Optional.of("common"), read(text, PiModel.ZERO_2_W, false).get("kernel"));
        assertTrue(read(text, PiModel.ZERO_2_W, false).enabled("enable_uart"));
        assertEquals(Optional.of("three"), read(text, PiModel.PI_3_A_PLUS, false).get("kernel"), "[pi3] holds on a 3A+");
    }

    @Test
    void trybootSectionsHoldOnlyOnATrybootBootAndCombineWithTheModel() {
        String text = "[all]\ntryboot_a_b=1\nboot_partition=2\n[tryboot]\nboot_partition=3\n[pi3]\nboot_partition=9\n";
        assertEquals(Optional.of("2"), read(text, PiModel.PI_4_B, false).get("boot_partition"));
        assertEquals(Optional.of("3"), read(text, PiModel.PI_4_B, true).get("boot_partition"));
        assertEquals(Optional.of("9"), read(text, PiModel.PI_3_B, true).get("boot_partition"), "[tryboot] then [pi3]: both hold");
        assertEquals(Optional.of("2"), read(text, PiModel.PI_3_B, false).get("boot_partition"), "[tryboot][pi3] needs both");
    }

    @Test
    void initramfsWithoutEqualsAndOverlaysAreKept() {
        FirmwareConfig c = read("initramfs initrd.img followkernel\ndtoverlay=disable-bt\ndtoverlay=vc4-kms-v3d,cma-256\n[none]\nkernel=x\n",
                PiModel.PI_4_B, false);
        assertEquals(Optional.of("initrd.img"), c.initramfs());
        assertEquals(List.of("disable-bt", "vc4-kms-v3d"), c.overlays());
        assertEquals(Optional.empty(), c.get("kernel"), "[none] holds never");
    }

    @Test
    void linesUnderABoardDependentFilterAreUndecided() {
        FirmwareConfig c = read("kernel=a\n[gpio4=1]\nkernel=b\n[all]\narm_64bit=1\n", PiModel.PI_4_B, false);
        assertEquals(Optional.of("a"), c.get("kernel"));
        assertEquals(1, c.undecided().size());
        assertTrue(c.undecided().get(0).startsWith("config.txt line 3 (\"kernel=b\") is under [gpio4=1]"), c.undecided().toString());
        assertTrue(c.enabled("arm_64bit"));
    }

    @Test
    void anOversizedFileIsRefused() {
        byte[] big = new byte[FirmwareConfig.MAX_BYTES + 1];
        FleetkitException e = assertThrows(FleetkitException.class, () -> FirmwareConfig.read(big, PiModel.PI_4_B, false, "config.txt"));
        assertEquals("rpi.config-too-large", e.code());
    }
}
