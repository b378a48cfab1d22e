package io.fleetkit.ota.agent;

import io.fleetkit.formats.bootstate.ScriptBootState;
import io.fleetkit.formats.fat.FatFileInPlace;
import io.fleetkit.formats.mbr.MbrReader;
import io.fleetkit.formats.ubootenv.FwEnvConfig;
import io.fleetkit.formats.ubootenv.RedundantEnvStore;
import io.fleetkit.ota.boot.BootBackend;
import io.fleetkit.ota.boot.KernelCmdlineSlot;
import io.fleetkit.ota.boot.RpiTrybootBackend;
import io.fleetkit.ota.boot.UBootEnvBackend;
import io.fleetkit.ota.boot.UBootEnvBootState;
import io.fleetkit.ota.boot.UBootScriptBackend;

import java.io.IOException;

/** Makes the configured {@link BootBackend} ({@code boot.backend}) over the configured disk and /proc paths. */
public final class BootBackends {

    private BootBackends() {
    }

    /** p1 of the configured disk, for reading and rewriting files in place. */
    public static FatFileInPlace bootPartition(AgentConfig c) throws IOException {
        return new FatFileInPlace(c.disk(), MbrReader.read(c.disk()).require(1, "boot").startByte());
    }

    public static BootBackend create(AgentConfig c) throws IOException {
        KernelCmdlineSlot cmdline = new KernelCmdlineSlot(c.procCmdline());
        return switch (c.backend()) {
            case "uboot-script" -> new UBootScriptBackend(new ScriptBootState(bootPartition(c)), cmdline);
            case "rpi-tryboot" -> new RpiTrybootBackend(bootPartition(c), c.deviceTree().resolve("chosen/bootloader"), cmdline);
            case "uboot-env" -> new UBootEnvBackend(new UBootEnvBootState(new RedundantEnvStore(FwEnvConfig.read(c.fwEnvConfig()))), cmdline);
            default -> throw new IllegalArgumentException("unknown boot backend " + c.backend());
        };
    }
}
