package io.fleetkit.ota.boot;

import io.fleetkit.formats.bootstate.Slot;
import java.io.IOException;
import java.util.Optional;

/**
 * The bootloader's A/B selection as the agent sees it. Every method reads the persistent state
 * afresh (nothing cached), and every change is one atomic write, so the agent can be cut off at
 * any instant and ask again on the next start.
 */
public interface BootBackend {

    /** The slot the running system booted from. */
    Slot currentSlot() throws IOException;

    /** The slot the bootloader falls back to: the last one committed. */
    Slot committedSlot() throws IOException;

    /** The slot armed for a trial boot, if any (on Raspberry Pi: the trial in progress). */
    Optional<Slot> trialSlot() throws IOException;

    /** The slot that last failed a trial, when the bootloader records it. */
    Optional<Slot> failedSlot() throws IOException;

    /** Arms one trial boot of {@code slot} (never the committed slot). */
    void startTrial(Slot slot) throws IOException;

    /** Makes the running trial slot the committed one. */
    void commit() throws IOException;

    /** Cancels any trial so the next boot is the committed slot; records the failure when the format has room. */
    void rollBack() throws IOException;

    /** The reboot that starts an armed trial. */
    RebootKind trialReboot();
}
