package io.fleetkit.ota.boot;

import io.fleetkit.formats.bootstate.Slot;
import java.io.IOException;

/**
 * What the two U-Boot backends share: U-Boot tells the kernel which slot it booted on the
 * command line, and a trial starts with an ordinary reboot (U-Boot reads the armed state).
 */
abstract class UBootBackend implements BootBackend {

    private final KernelCmdlineSlot running;

    UBootBackend(KernelCmdlineSlot running) {
        this.running = running;
    }

    @Override
    public final Slot currentSlot() throws IOException {
        return running.read();
    }

    @Override
    public final RebootKind trialReboot() {
        return RebootKind.NORMAL;
    }
}
