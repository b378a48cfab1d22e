package io.fleetkit.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Pi-4-like device tree compiled by dtc, and a module index as Debian's kernel has it for these nodes. */
class DriverClosureCheckTest {

    private static final String DTS = """
            /dts-v1/;
            / {
              #address-cells = <1>;
              #size-cells = <1>;
              chosen { stdout-path = "serial1:115200n8"; };
              aliases { serial1 = "/soc/serial@7e215040"; };
              soc {
                gpio: gpio@7e200000 { compatible = "brcm,bcm2711-gpio"; gpio-controller; #gpio-cells = <2>; };
                sd_vcc: regulator-sd-vcc { compatible = "regulator-fixed"; gpio = <&gpio 6 0>; };
                sd_io: regulator-sd-io { compatible = "regulator-gpio"; gpios = <&gpio 4 0>; };
                mmc@7e340000 { compatible = "brcm,bcm2711-emmc2"; vmmc-supply = <&sd_vcc>; vqmmc-supply = <&sd_io>; };
                mmc@7e300000 { compatible = "brcm,bcm2835-sdhci"; status = "disabled"; };
                serial@7e215040 { compatible = "brcm,bcm2835-aux-uart"; };
                watchdog@7e100000 { compatible = "brcm,bcm2711-pm", "brcm,bcm2835-pm-wdt"; };
              };
            };
            """;

    private static final List<DriverClosureCheck.Requirement> PI4 = List.of(
            new DriverClosureCheck.Requirement("storage", List.of("brcm,bcm2711-emmc2"), null),
            DriverClosureCheck.Requirement.console(),
            new DriverClosureCheck.Requirement("watchdog/restart", List.of("brcm,bcm2711-pm"), "platform:bcm2835-wdt"));

    @TempDir
    Path dir;

    @Test
    void anInitramfsWithTheControllerItsRegulatorsAndTheWatchdogPasses() throws Exception {
        assertEquals(List.of(), check(Set.of("sdhci_iproc", "fixed", "gpio_regulator", "bcm2835_wdt")));
    }

    @Test
    void aMissingRegulatorModuleIsNamedWithTheNodeThatNeedsIt() throws Exception {
        List<String> problems = check(Set.of("sdhci_iproc", "gpio_regulator", "bcm2835_wdt"));
        assertEquals(List.of("storage: /soc/regulator-sd-vcc (regulator-fixed) (a supplier) needs module fixed, which is not in the initramfs"),
                problems);
    }

    @Test
    void aMissingRestartHandlerAndStorageDriverAreNamed() throws Exception {
        List<String> problems = check(Set.of("fixed", "gpio_regulator"));
        assertTrue(problems.contains("storage: /soc/mmc@7e340000 (brcm,bcm2711-emmc2) needs module sdhci_iproc, which is not in the initramfs"),
                problems.toString());
        assertTrue(problems.contains("watchdog/restart: platform:bcm2835-wdt needs module bcm2835_wdt, which is not in the initramfs"),
                problems.toString());
    }

    @Test
    void aRequiredNodeThatNoAliasClaimsIsBuiltInWhenTheImageKnowsItsCompatible() throws Exception {
        ModuleIndex index = index();
        FlattenedDeviceTree dt = tree();
        List<DriverClosureCheck.Requirement> uart = List.of(new DriverClosureCheck.Requirement("console", List.of("brcm,bcm2835-aux-uart"), null));
        index = new ModuleIndex();
        assertEquals(List.of("console: /soc/serial@7e215040 (brcm,bcm2835-aux-uart) has no driver in the kernel or its modules"),
                new DriverClosureCheck(dt, index, Set.of(), c -> false).problems(uart));
        KernelImageStrings image = new KernelImageStrings("....\0brcm,bcm2835-aux-uart\0\0\0...".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(List.of(), new DriverClosureCheck(dt, index, Set.of(), image::containsCompatible).problems(uart));
        assertTrue(!image.containsCompatible("brcm,bcm2835-aux"), "a prefix is not a match");
    }

    @Test
    void theModaliasIsTheKernels() throws Exception {
        FlattenedDeviceTree dt = tree();
        assertEquals("of:NwatchdogT(null)Cbrcm,bcm2711-pmCbrcm,bcm2835-pm-wdt",
                DriverClosureCheck.modalias(dt.node("/soc/watchdog@7e100000").orElseThrow()));
        assertEquals("/soc/serial@7e215040", dt.resolve("serial1:115200n8").orElseThrow().path());
    }

    private List<String> check(Set<String> initramfs) throws Exception {
        return new DriverClosureCheck(tree(), index(), initramfs, c -> false).problems(PI4);
    }

    private FlattenedDeviceTree tree() throws Exception {
        Path dts = Files.writeString(dir.resolve("pi.dts"), DTS);
        Path dtb = dir.resolve("pi.dtb");
        Process p;
        try {
            p = new ProcessBuilder("dtc", "-q", "-I", "dts", "-O", "dtb", "-o", dtb.toString(), dts.toString())
                    .redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            throw new AssertionError("dtc is missing: apt-get install device-tree-compiler", e);
        }
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        return FlattenedDeviceTree.read(Files.readAllBytes(dtb));
    }

    /** Aliases as the modules declare them (both the "C<compat>" and the "C<compat>C*" forms). */
    private static ModuleIndex index() {
        ModuleIndex index = new ModuleIndex();
        module(index, "sdhci_iproc", "of:N*T*Cbrcm,bcm2711-emmc2");
        module(index, "fixed", "of:N*T*Cregulator-fixed");
        module(index, "gpio_regulator", "of:N*T*Cregulator-gpio");
        index.addModule(new ModuleIndex.Entry("bcm2835_wdt", "kernel/drivers/watchdog/bcm2835_wdt.ko", 1, List.of(), List.of()));
        index.addAlias("platform:bcm2835-wdt", "bcm2835_wdt");
        index.addBuiltin("pinctrl_bcm2835");
        index.addBuiltinAlias("of:N*T*Cbrcm,bcm2711-gpio", "pinctrl_bcm2835");
        index.addBuiltinAlias("of:N*T*Cbrcm,bcm2835-aux-uart", "8250_bcm2835aux");
        index.addBuiltinAlias("of:N*T*Cbrcm,bcm2711-pmC*", "bcm2835_pm");
        return index;
    }

    private static void module(ModuleIndex index, String name, String alias) {
        index.addModule(new ModuleIndex.Entry(name, "kernel/" + name + ".ko", 1, List.of(), List.of()));
        index.addAlias(alias, name);
        index.addAlias(alias + "C*", name);
    }
}
