package io.fleetkit.ota.boot;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.formats.bootstate.Slot;

import java.io.IOException;
import java.util.Optional;

/**
 * The {@code uboot-env} backend over {@link UBootEnvBootState}: while {@code upgrade_available=1}
 * the boot partition variable names the slot on trial and the other slot is the committed one;
 * U-Boot's boot counter and {@code altbootcmd} bring the committed slot back.
 */
public final class UBootEnvBackend extends UBootBackend {

    private final UBootEnvBootState env;

    public UBootEnvBackend(UBootEnvBootState env, KernelCmdlineSlot running) {
        super(running);
        this.env = env;
    }

    @Override
    public Slot committedSlot() throws IOException {
        UBootEnvBootState.State s = env.read();
        Slot part = slot(s);
        return s.upgradeAvailable() ? part.other() : part;
    }

    @Override
    public Optional<Slot> trialSlot() throws IOException {
        UBootEnvBootState.State s = env.read();
        return s.upgradeAvailable() ? Optional.of(slot(s)) : Optional.empty();
    }

    @Override
    public Optional<Slot> failedSlot() {
        return Optional.empty();
    }

    @Override
    public void startTrial(Slot slot) throws IOException {
        if (committedSlot() == slot) {
            throw new FleetkitException("boot.trial-of-committed", "slot " + slot + " is already the committed slot",
                    "Write the update to the other slot.");
        }
        env.startTrial(slot.partition());
    }

    @Override
    public void commit() throws IOException {
        Slot now = currentSlot();
        UBootEnvBootState.State s = env.read();
        if (slot(s) != now) {
            env.rollBackTo(now.partition());
        } else if (s.upgradeAvailable() || s.bootCount() != 0) {
            env.commit();
        }
    }

    @Override
    public void rollBack() throws IOException {
        UBootEnvBootState.State s = env.read();
        if (s.upgradeAvailable()) {
            env.rollBackTo(slot(s).other().partition());
        }
    }

    private static Slot slot(UBootEnvBootState.State s) {
        if (s.bootPartition() != 2 && s.bootPartition() != 3) {
            throw new FleetkitException("uboot-env.bad-value", "the boot partition variable is " + s.bootPartition() + ", not 2 or 3",
                    "Set it with fw_setenv fleet_boot_part 2.");
        }
        return Slot.ofPartition(s.bootPartition());
    }
}
