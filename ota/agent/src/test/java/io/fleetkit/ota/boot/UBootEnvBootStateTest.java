package io.fleetkit.ota.boot;

import io.fleetkit.formats.testing.HostTool;
import io.fleetkit.formats.ubootenv.FwEnvConfig;
import io.fleetkit.formats.ubootenv.RedundantEnvStore;
import io.fleetkit.formats.ubootenv.UBootEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class UBootEnvBootStateTest {

    @TempDir
    Path dir;

    @Test
    void trialCommitAndRollbackAreSeenByFwPrintenvAndBootCountsFromFwSetenvAreSeenByUs() throws Exception {
        Path device = Files.write(dir.resolve("env.img"), new byte[0x8000]);
        Path config = Files.writeString(dir.resolve("fw_env.config"), device + " 0 0x4000\n" + device + " 0x4000 0x4000\n");
        RedundantEnvStore store = new RedundantEnvStore(FwEnvConfig.read(config));
        store.write(UBootEnvironment.of(Map.of("fleet_boot_part", "2", "bootlimit", "3")));
        UBootEnvBootState boot = new UBootEnvBootState(store);

        boot.startTrial(3);
        assertEquals("bootcount=0\nbootlimit=3\nfleet_boot_part=3\nupgrade_available=1\n",
                HostTool.ok("libubootenv-tool", "fw_printenv", "-c", config.toString()));

        // what U-Boot's boot counter does on each attempt
        HostTool.ok("libubootenv-tool", "fw_setenv", "-c", config.toString(), "bootcount", "2");
        assertEquals(new UBootEnvBootState.State(3, true, 2, 3), boot.read());

        boot.commit();
        assertEquals(new UBootEnvBootState.State(3, false, 0, 3), boot.read());
        assertEquals("0\n", HostTool.ok("libubootenv-tool", "fw_printenv", "-c", config.toString(), "-n", "upgrade_available"));

        boot.startTrial(2);
        boot.rollBackTo(3);
        assertEquals(new UBootEnvBootState.State(3, false, 0, 3), boot.read());
    }
}
