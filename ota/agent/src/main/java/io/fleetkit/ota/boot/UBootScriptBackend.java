package io.fleetkit.ota.boot;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.formats.bootstate.BootState;
import io.fleetkit.formats.bootstate.ScriptBootState;
import io.fleetkit.formats.bootstate.Slot;

import java.io.IOException;
import java.util.Optional;

/**
 * The {@code uboot-script} backend: {@link ScriptBootState} on p1, read by Fleetkit's
 * {@code boot.scr}. A trial is {@code bs_trial=slot, bs_tries=1}; the script counts the try down
 * before booting it and, with no tries left, records {@code bs_failed} and boots the active slot.
 */
public final class UBootScriptBackend extends UBootBackend {

    private final ScriptBootState state;

    public UBootScriptBackend(ScriptBootState state, KernelCmdlineSlot running) {
        super(running);
        this.state = state;
    }

    @Override
    public Slot committedSlot() throws IOException {
        return state.read().state().active();
    }

    @Override
    public Optional<Slot> trialSlot() throws IOException {
        return Optional.ofNullable(state.read().state().trial());
    }

    @Override
    public Optional<Slot> failedSlot() throws IOException {
        return Optional.ofNullable(state.read().state().failed());
    }

    @Override
    public void startTrial(Slot slot) throws IOException {
        state.update(s -> {
            if (s.active() == slot) {
                throw new FleetkitException("boot.trial-of-committed", "slot " + slot + " is already the committed slot",
                        "Write the update to the other slot.");
            }
            // a fresh trial clears the failure mark, so a failure seen later belongs to this trial
            return new BootState(s.seq(), s.active(), slot, 1, null);
        });
    }

    @Override
    public void commit() throws IOException {
        Slot now = currentSlot();
        BootState s = state.read().state();
        if (s.active() == now && s.trial() == null) {
            return;
        }
        state.update(x -> new BootState(x.seq(), now, null, 0, x.failed()));
    }

    @Override
    public void rollBack() throws IOException {
        BootState s = state.read().state();
        if (s.trial() == null && s.tries() == 0) {
            return;
        }
        state.update(x -> new BootState(x.seq(), x.active(), null, 0, x.trial() != null ? x.trial() : x.failed()));
    }
}
