package io.fleetkit.formats.bootstate;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.formats.fat.FatFileInPlace;

import java.io.IOException;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The two copies of the {@link BootState} on the boot partition of a disk, read and rewritten in
 * place inside the FAT (never mounted): the valid copy with the higher {@code bs_seq} is in force,
 * and a write goes to the other copy.
 */
public final class ScriptBootState {

    /** One decoded copy and which file it came from. */
    public record Copy(int index, BootState state) {
    }

    private final FatFileInPlace boot;

    public ScriptBootState(FatFileInPlace boot) {
        this.boot = boot;
    }

    /** The copy in force, or a clear error when neither copy is valid. */
    public Copy read() throws IOException {
        return current().orElseThrow(() -> new FleetkitException("boot.no-valid-state",
                "neither bootstate.0 nor bootstate.1 on the boot partition of " + boot.disk() + " has a valid CRC",
                "Reflash the boot partition; the device boots slot A's defaults until then."));
    }

    public Optional<Copy> current() throws IOException {
        Optional<BootState> s0 = boot.read(BootState.FILES.get(0)).flatMap(BootState::decode);
        Optional<BootState> s1 = boot.read(BootState.FILES.get(1)).flatMap(BootState::decode);
        if (s0.isPresent() && s1.isPresent()) {
            // unsigned comparison of the hex counters, as the boot script's setexpr does
            return Optional.of(Long.compareUnsigned(s1.get().seq(), s0.get().seq()) > 0 ? new Copy(1, s1.get()) : new Copy(0, s0.get()));
        }
        if (s0.isPresent()) {
            return Optional.of(new Copy(0, s0.get()));
        }
        return s1.map(s -> new Copy(1, s));
    }

    /** Writes {@code next} over the copy that is not in force (copy 0 when none is valid). */
    public void write(BootState next) throws IOException {
        int target = current().map(c -> 1 - c.index()).orElse(0);
        boot.overwrite(BootState.FILES.get(target), next.encode());
    }

    /** Reads the state in force, applies {@code change} and writes the result with seq+1. */
    public BootState update(UnaryOperator<BootState> change) throws IOException {
        Copy now = read();
        BootState next = change.apply(now.state());
        BootState stamped = new BootState((now.state().seq() + 1) & 0xffffffffL, next.active(), next.trial(), next.tries(), next.failed());
        boot.overwrite(BootState.FILES.get(1 - now.index()), stamped.encode());
        return stamped;
    }
}
