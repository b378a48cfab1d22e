package io.fleetkit.ota.boot;

import io.fleetkit.formats.bootstate.Slot;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** uboot-env as a BootBackend, with fw_printenv/fw_setenv (libubootenv-tool) as the bootloader's side. */
class UBootEnvBackendTest {

    @TempDir
    Path dir;

    @Test
    void trialFallbackAndCommitAgreeWithFwTools() throws Exception {
        Path device = Files.write(dir.resolve("env.img"), new byte[0x8000]);
        Path config = Files.writeString(dir.resolve("fw_env.config"), device + " 0 0x4000\n" + device + " 0x4000 0x4000\n");
        new RedundantEnvStore(FwEnvConfig.read(config)).write(UBootEnvironment.of(Map.of("fleet_boot_part", "2", "bootlimit", "1")));
        Path cmdline = Files.writeString(dir.resolve("cmdline"), "fleetkit.slot=A\n");
        UBootEnvBackend env = new UBootEnvBackend(new UBootEnvBootState(new RedundantEnvStore(FwEnvConfig.read(config))),
                new KernelCmdlineSlot(cmdline));
        assertEquals(Slot.A, env.committedSlot());

        env.startTrial(Slot.B);
        assertEquals("3\n", HostTool.ok("libubootenv-tool", "fw_printenv", "-c", config.toString(), "-n", "fleet_boot_part"));
        assertEquals(Slot.B, env.trialSlot().orElseThrow());
        assertEquals(Slot.A, env.committedSlot());

        // U-Boot gave up on B (bootcount past bootlimit) and its altbootcmd switched back, as Mender's does
        HostTool.ok("libubootenv-tool", "fw_setenv", "-c", config.toString(), "bootcount", "2");
        env.rollBack();
        assertEquals("2\n", HostTool.ok("libubootenv-tool", "fw_printenv", "-c", config.toString(), "-n", "fleet_boot_part"));
        assertTrue(env.trialSlot().isEmpty());

        env.startTrial(Slot.B);
        Files.writeString(cmdline, "fleetkit.slot=B\n");
        HostTool.ok("libubootenv-tool", "fw_setenv", "-c", config.toString(), "bootcount", "1");
        env.commit();
        assertEquals("0\n", HostTool.ok("libubootenv-tool", "fw_printenv", "-c", config.toString(), "-n", "upgrade_available"));
        assertEquals(Slot.B, env.committedSlot());
        assertEquals(RebootKind.NORMAL, env.trialReboot());
    }
}
