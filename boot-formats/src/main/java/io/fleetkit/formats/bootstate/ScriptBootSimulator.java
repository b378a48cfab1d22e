package io.fleetkit.formats.bootstate;

import io.fleetkit.formats.fat.FatFileInPlace;

import java.io.IOException;
import java.util.Optional;

/**
 * A Java port of what Fleetkit's {@code boot.scr} does on each power-on, for simulated devices
 * (tests, benchmarks): load both bootstate copies, keep the valid one with the higher
 * {@code bs_seq}; then
 * <ul>
 *   <li>trial set and tries &gt; 0: tries-1, write the state, boot the trial slot;</li>
 *   <li>trial set and tries == 0: {@code bs_failed}=trial, {@code bs_trial}=none, write, boot active;</li>
 *   <li>otherwise boot active (slot A when no copy is valid).</li>
 * </ul>
 * "Write" is what the script's {@code env export -c} + {@code fatwrite} do: the other copy gets
 * seq+1. By default it is rewritten in place; a {@link CopyWriter} may instead put it in other
 * clusters, as {@code fatwrite} may.
 */
public final class ScriptBootSimulator {

    /** Writes one whole bootstate copy ({@code name} is one of {@link BootState#FILES}). */
    @FunctionalInterface
    public interface CopyWriter {
        void write(String name, byte[] blob) throws IOException;
    }

    private final FatFileInPlace boot;
    private final CopyWriter writer;

    /** A board whose boot script rewrites a copy in its present clusters. */
    public ScriptBootSimulator(FatFileInPlace boot) {
        this(boot, boot::overwrite);
    }

    public ScriptBootSimulator(FatFileInPlace boot, CopyWriter writer) {
        this.boot = boot;
        this.writer = writer;
    }

    /** Powers the board on; returns the slot whose kernel gets {@code fleetkit.slot=<slot>}. */
    public Slot boot() throws IOException {
        Optional<ScriptBootState.Copy> now = new ScriptBootState(boot).current();
        if (now.isEmpty()) {
            return Slot.A;
        }
        BootState s = now.get().state();
        if (s.trial() != null && s.tries() > 0) {
            write(now.get().index(), s.next(s.active(), s.trial(), s.tries() - 1, s.failed()));
            return s.trial();
        }
        if (s.trial() != null) {
            write(now.get().index(), s.next(s.active(), null, 0, s.trial()));
        }
        return s.active();
    }

    private void write(int currentIndex, BootState next) throws IOException {
        writer.write(BootState.FILES.get(1 - currentIndex), next.encode());
    }
}
