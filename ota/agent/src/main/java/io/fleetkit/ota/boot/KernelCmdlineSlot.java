package io.fleetkit.ota.boot;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.formats.bootstate.Slot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The running slot as the bootloader told the kernel: {@code fleetkit.slot=A|B} on {@code /proc/cmdline}. */
public final class KernelCmdlineSlot {

    public static final String ARGUMENT = "fleetkit.slot=";

    private final Path cmdline;

    public KernelCmdlineSlot(Path cmdline) {
        this.cmdline = cmdline;
    }

    public Slot read() throws IOException {
        String text = Files.readString(cmdline);
        for (String arg : text.strip().split("\\s+")) {
            if (arg.startsWith(ARGUMENT)) {
                Slot s = Slot.parseOrNull(arg.substring(ARGUMENT.length()));
                if (s != null) {
                    return s;
                }
            }
        }
        throw new FleetkitException("boot.unknown-slot", cmdline + " has no " + ARGUMENT + "A|B argument: " + text.strip(),
                "Boot through Fleetkit's boot script, which passes the slot on the kernel command line.");
    }
}
