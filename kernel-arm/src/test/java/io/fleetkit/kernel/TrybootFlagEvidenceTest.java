package io.fleetkit.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.events.FleetkitException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Small made-up kernel images (not real kernels): which strings count as evidence of the downstream tryboot notifier. */
class TrybootFlagEvidenceTest {

    @TempDir
    Path dir;

    private KernelTree kernel(String strings, boolean gzip) throws Exception {
        byte[] raw = ("ARMd\0padding\0" + strings).getBytes(StandardCharsets.ISO_8859_1);
        if (gzip) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream z = new GZIPOutputStream(out)) {
                z.write(raw);
            }
            raw = out.toByteArray();
        }
        Path image = Files.write(dir.resolve("Image-" + System.nanoTime()), raw);
        return KernelTree.of("test", image, null, null, null);
    }

    @Test
    void aBuiltInFirmwareDriverWithoutTheTrybootWordIsRefusedNamingTheAlternatives() throws Exception {
        // what Debian's 6.1 arm64 Image holds: the driver's match string, no " tryboot"
        KernelTree mainline = kernel("raspberrypi,bcm2835-firmware\0reboot\0", false);
        assertFalse(TrybootFlagEvidence.of(mainline, null, List.of()).canSetFlag());
        FleetkitException e = assertThrows(FleetkitException.class, () -> TrybootFlagEvidence.require(mainline, null, List.of(), "rpi4"));
        assertEquals("build.tryboot-kernel", e.code());
        assertTrue(e.getMessage().contains("mainline's ignores the reboot argument"), e.getMessage());
        assertTrue(e.fix().contains("U-Boot's boot.scr") && e.fix().contains("Raspberry Pi downstream kernel"), e.fix());
    }

    @Test
    void aBuiltInDriverAndTheTrybootStringCountAsEvidenceEvenGzipped() throws Exception {
        KernelTree downstream = kernel("raspberrypi,bcm2835-firmware\0 tryboot\0", true);
        assertEquals(Optional.of("the kernel image"), TrybootFlagEvidence.of(downstream, null, List.of()).foundIn());
        // merged by the linker into the tail of a longer string: still the literal
        assertTrue(TrybootFlagEvidence.of(kernel("raspberrypi,bcm2835-firmware\0reboot 0 tryboot\0", false), null, List.of()).canSetFlag());
    }

    @Test
    void theWordWithoutTheDriverOrAsPartOfAnotherWordIsNotEvidence() throws Exception {
        assertFalse(TrybootFlagEvidence.of(kernel(" tryboot\0", false), null, List.of()).canSetFlag(), "no firmware driver");
        assertFalse(TrybootFlagEvidence.of(kernel("raspberrypi,bcm2835-firmware\0 tryboot_a_b\0", false), null, List.of()).canSetFlag());
    }

    /** Debian-style: the firmware driver is module raspberrypi (alias for the firmware node), the image lacks its match string. */
    private KernelTree withFirmwareModule(String moduleStrings) throws Exception {
        Path modules = Files.createDirectories(dir.resolve("modules-" + System.nanoTime()));
        Path ko = Files.createDirectories(modules.resolve("kernel/drivers/firmware")).resolve("raspberrypi.ko");
        Files.write(ko, ("\177ELF\0" + moduleStrings).getBytes(StandardCharsets.ISO_8859_1));
        Path image = Files.write(dir.resolve("Image-" + System.nanoTime()), "ARMd\0reboot\0".getBytes(StandardCharsets.ISO_8859_1));
        return KernelTree.of("test", image, null, modules, null);
    }

    private static ModuleIndex firmwareModuleIndex() {
        ModuleIndex index = new ModuleIndex();
        index.addModule(new ModuleIndex.Entry("raspberrypi", "kernel/drivers/firmware/raspberrypi.ko", 1, List.of(), List.of()));
        index.addAlias("of:N*T*C" + TrybootFlagEvidence.FIRMWARE_COMPATIBLE + "C*", "raspberrypi");
        index.addAlias("of:N*T*C" + TrybootFlagEvidence.FIRMWARE_COMPATIBLE, "raspberrypi");
        return index;
    }

    @Test
    void aFirmwareDriverModuleWithTheTrybootWordCountsOnlyWhenTheInitramfsLoadsIt() throws Exception {
        KernelTree downstream = withFirmwareModule("raspberrypi,bcm2835-firmware\0 tryboot\0");
        ModuleIndex index = firmwareModuleIndex();
        TrybootFlagEvidence loaded = TrybootFlagEvidence.of(downstream, index, List.of("raspberrypi"));
        assertEquals(Optional.of("module raspberrypi"), loaded.foundIn(), loaded.why());
        TrybootFlagEvidence.require(downstream, index, List.of("raspberrypi"), "rpi4");

        // the module would set the flag, but the init never loads it: refused, naming the way out
        FleetkitException e = assertThrows(FleetkitException.class,
                () -> TrybootFlagEvidence.require(downstream, index, List.of("bcm2835_wdt"), "rpi4"));
        assertEquals("build.tryboot-kernel", e.code());
        assertTrue(e.getMessage().contains("module raspberrypi carries \" tryboot\" but the initramfs does not load it (add it to kernel.modules)"),
                e.getMessage());
    }

    @Test
    void aFirmwareDriverModuleWithoutTheTrybootWordIsRefusedEvenWhenLoaded() throws Exception {
        KernelTree mainline = withFirmwareModule("raspberrypi,bcm2835-firmware\0reboot\0 tryboot_a_b\0");
        FleetkitException e = assertThrows(FleetkitException.class,
                () -> TrybootFlagEvidence.require(mainline, firmwareModuleIndex(), List.of("raspberrypi"), "rpi4"));
        assertEquals("build.tryboot-kernel", e.code());
        assertTrue(e.getMessage().contains("the firmware driver, module raspberrypi, has no \" tryboot\" reboot handling"), e.getMessage());
    }

    @Test
    void withAModulesTreeButNoFirmwareDriverAnywhereTheKernelIsRefused() throws Exception {
        KernelTree none = withFirmwareModule("something else\0");
        TrybootFlagEvidence e = TrybootFlagEvidence.of(none, new ModuleIndex(), List.of());
        assertFalse(e.canSetFlag());
        assertTrue(e.why().contains("no Raspberry Pi firmware driver"), e.why());
    }
}
