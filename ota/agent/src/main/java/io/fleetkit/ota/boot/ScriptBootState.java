package io.fleetkit.ota.boot;

import io.fleetkit.events.FleetkitException;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The boot state that Fleetkit's {@code boot.scr} reads on U-Boot boards: two files on p1,
 * {@code bootstate.0} and {@code bootstate.1}, each exactly {@value #SIZE} bytes, each a U-Boot
 * non-redundant environment blob ({@code env export -c}: CRC32 over the 0x40000-4 data bytes,
 * {@code name=value\0}..., {@code \0\0}, zero padding). Variables: {@code bs_seq} (hex),
 * {@code bs_active}, {@code bs_trial}, {@code bs_tries} (hex), {@code bs_failed}. The valid copy
 * with the higher {@code bs_seq} wins; a write always replaces the other copy with seq+1, so a
 * write torn by power loss leaves the previous state in force.
 */
public final class ScriptBootState {

    public static final int SIZE = 0x40000;
    public static final String[] FILES = {"bootstate.0", "bootstate.1"};

    /** The decoded state; {@code trial} and {@code failed} are null for "none". */
    public record State(long seq, Slot active, Slot trial, int tries, Slot failed) {

        public Map<String, String> variables() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("bs_seq", Long.toHexString(seq));
            m.put("bs_active", active.name());
            m.put("bs_trial", name(trial));
            m.put("bs_tries", Integer.toHexString(tries));
            m.put("bs_failed", name(failed));
            return m;
        }

        public State next(Slot active, Slot trial, int tries, Slot failed) {
            return new State((seq + 1) & 0xffffffffL, active, trial, tries, failed);
        }

        private static String name(Slot s) {
            return s == null ? "none" : s.name();
        }
    }

    /** One decoded copy and which file it came from. */
    public record Copy(int index, State state) {
    }

    private final FatFileInPlace boot;

    public ScriptBootState(FatFileInPlace boot) {
        this.boot = boot;
    }

    /** The initial blob for a freshly built image: slot A active, nothing on trial. */
    public static State initial(Slot active) {
        return new State(1, active, null, 0, null);
    }

    public static byte[] encode(State s) {
        return UBootEnvironment.of(s.variables()).encode(SIZE, false, 0);
    }

    /** Decodes one copy; empty when its CRC or contents are not valid. */
    public static Optional<State> decode(byte[] blob) {
        if (blob.length != SIZE) {
            return Optional.empty();
        }
        Optional<UBootEnvironment.Copy> c = UBootEnvironment.decode(blob, false);
        if (c.isEmpty()) {
            return Optional.empty();
        }
        UBootEnvironment env = c.get().environment();
        try {
            long seq = Long.parseUnsignedLong(env.get("bs_seq").orElseThrow(), 16);
            Slot active = Slot.parseOrNull(env.get("bs_active").orElseThrow());
            if (active == null) {
                return Optional.empty();
            }
            Slot trial = Slot.parseOrNull(env.get("bs_trial").orElse("none"));
            int tries = Integer.parseInt(env.get("bs_tries").orElse("0"), 16);
            Slot failed = Slot.parseOrNull(env.get("bs_failed").orElse("none"));
            return Optional.of(new State(seq, active, trial, tries, failed));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The copy in force, or a clear error when neither copy is valid. */
    public Copy read() throws IOException {
        return current().orElseThrow(() -> new FleetkitException("boot.no-valid-state",
                "neither bootstate.0 nor bootstate.1 on the boot partition of " + boot.disk() + " has a valid CRC",
                "Reflash the boot partition; the device boots slot A's defaults until then."));
    }

    public Optional<Copy> current() throws IOException {
        Optional<State> s0 = boot.read(FILES[0]).flatMap(ScriptBootState::decode);
        Optional<State> s1 = boot.read(FILES[1]).flatMap(ScriptBootState::decode);
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
    public void write(State next) throws IOException {
        int target = current().map(c -> 1 - c.index()).orElse(0);
        boot.overwrite(FILES[target], encode(next));
    }

    /** Reads the state in force, applies {@code change} and writes the result with seq+1. */
    public State update(java.util.function.UnaryOperator<State> change) throws IOException {
        Copy now = read();
        State next = change.apply(now.state());
        State stamped = new State((now.state().seq() + 1) & 0xffffffffL, next.active(), next.trial(), next.tries(), next.failed());
        boot.overwrite(FILES[1 - now.index()], encode(stamped));
        return stamped;
    }
}
