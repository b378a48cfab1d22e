package io.fleetkit.formats.bootstate;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The boot script and the agent read and write the same state: the files, size and variables of BootState. */
class UBootAbScriptTest {

    private static final UBootAbScript.Parameters PI =
            UBootAbScript.Parameters.raspberryPi(UBootLoadAddresses.raspberryPi(384L << 20));

    @Test
    void theScriptImportsAndExportsTheBootStateContract() {
        for (UBootAbScript.Parameters p : List.of(UBootAbScript.Parameters.arm64(), UBootAbScript.Parameters.armhf(), PI)) {
            String script = UBootAbScript.render(p);
            String vars = "bs_seq bs_active bs_trial bs_tries bs_failed";
            for (String file : List.of("bootstate.0", "bootstate.1")) {
                assertTrue(script.contains("${fk_scratch} " + file + " && env import -c ${fk_scratch} 0x40000 " + vars + ";"), script);
            }
            assertTrue(script.contains("env export -c ${fk_scratch} 0x40000 " + vars + "\n"), script);
            assertTrue(script.contains("fatwrite ${fk_disk}:${fk_bootpart} ${fk_scratch} bootstate.${fk_copy} 0x40000\n"), script);
            Matcher names = Pattern.compile("\\bbs_\\w+").matcher(script);
            while (names.find()) {
                assertTrue(BootState.VARIABLES.contains(names.group()), names.group() + " is not a boot-state variable");
            }
        }
    }

    @Test
    void aRaspberryPiScriptSetsItsLoadAddressesAndPassesTheSlotsOrTheFirmwaresDeviceTree() {
        String script = UBootAbScript.render(PI);
        assertTrue(script.contains("setenv kernel_addr_r 0x00200000\n"), script);
        assertTrue(script.contains("setenv kernel_comp_addr_r 0x04100000\n"), script);
        assertTrue(script.contains("setenv ramdisk_addr_r 0x08000000\n"), script);
        assertTrue(script.contains("fdt move ${fdt_addr} ${fk_fwfdt}"), "the firmware's tree is copied before anything is loaded");
        assertTrue(script.contains("load ${fk_disk}:${fk_part} ${fdt_addr_r} ${fdtfile}"), script);
        assertTrue(script.contains("booti ${kernel_addr_r} ${ramdisk_addr_r}:${filesize} ${fdt_addr_r}"), script);
        assertFalse(script.contains("fdtcontroladdr"), script);
        assertTrue(script.contains("part uuid ${fk_disk}:${fk_part} fk_partuuid"), script);
        assertTrue(script.contains(UBootAbScript.DISK_BY_PARTUUID + "${fk_partuuid}"), script);
    }

    @Test
    void aPiScriptChecksumsTheWholeStateFileItWrites() {
        // rpi_arm64's env export -c checksums its CONFIG_ENV_SIZE (0x4000); the state file is 0x40000
        String script = UBootAbScript.render(PI);
        int export = script.indexOf("env export -c ${fk_scratch} 0x40000");
        assertTrue(script.indexOf("mw.b ${fk_scratch} 0 0x40000") < export, script);
        // crc32 writes 8 bytes at its target on arm64: it goes aside, and only its 4 bytes are copied over the CRC field
        assertTrue(script.indexOf("crc32 ${fk_data} 0x3fffc ${fk_crc}\n") > export, script);
        assertTrue(script.indexOf("cp.b ${fk_crc} ${fk_scratch} 4\n") < script.indexOf("fatwrite"), script);
        assertTrue(script.contains("setexpr fk_crc ${fk_scratch} + 0x40000\n"), script);
        assertFalse(UBootAbScript.render(UBootAbScript.Parameters.arm64()).contains("crc32"));
    }

    @Test
    void qemuScriptsKeepUBootsOwnTreeAndAddresses() {
        String script = UBootAbScript.render(UBootAbScript.Parameters.arm64());
        assertTrue(script.contains("${fdtcontroladdr}"), script);
        assertFalse(script.contains("setenv kernel_addr_r"), script);
        assertTrue(script.contains("setenv kernel_comp_addr_r 0x50000000\n"), script);
    }

    @Test
    void aTrialBootTellsTheKernelSoAndTheFallbackDoesNot() {
        String script = UBootAbScript.render(PI);
        assertTrue(script.contains("    setenv fk_trial_arg " + UBootAbScript.TRIAL_ARGUMENT + "\n"), script);
        int fallback = script.indexOf("could not be started; trying slot");
        assertTrue(script.indexOf("setenv fk_trial_arg\n", fallback) > fallback, "the other slot is not on trial");
    }

    @Test
    void noSingleQuotedScriptVariableHoldsAQuote() {
        // U-Boot's hush ends a single-quoted value at the next ' whatever surrounds it (an apostrophe in
        // an echo once cut the Pi script short: "syntax error").
        for (UBootAbScript.Parameters p : List.of(UBootAbScript.Parameters.arm64(), UBootAbScript.Parameters.armhf(), PI)) {
            for (String line : UBootAbScript.render(p).split("\n")) {
                if (line.startsWith("setenv fk_") && line.contains("'")) {
                    assertTrue(line.matches("setenv fk_\\w+ '[^']*'"), line);
                }
            }
        }
    }
}
