package io.fleetkit.formats.bootstate;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The boot script and the agent read and write the same state: the files, size and variables of BootState. */
class UBootAbScriptTest {

    @Test
    void theScriptImportsAndExportsTheBootStateContract() {
        for (UBootAbScript.Parameters p : List.of(UBootAbScript.Parameters.arm64(), UBootAbScript.Parameters.armhf())) {
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
}
