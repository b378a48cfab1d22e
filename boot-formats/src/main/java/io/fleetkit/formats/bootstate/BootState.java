package io.fleetkit.formats.bootstate;

import io.fleetkit.formats.ubootenv.UBootEnvironment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The A/B boot state of U-Boot boards, the contract between the boot script ({@link UBootAbScript},
 * which reads it on every power-on and counts trial boots), the agent ({@link ScriptBootState},
 * which starts, commits and rolls back trials) and the image builder (which writes the first copies).
 *
 * <p>It lives on p1 as {@link #FILES} {@code bootstate.0} and {@code bootstate.1}, each exactly
 * {@link #SIZE} bytes, each a U-Boot environment blob as {@code env export -c} writes it (CRC32
 * over the {@code SIZE - 4} data bytes, {@code name=value\0}..., {@code \0\0}, zero padding). The
 * size is qemu U-Boot's {@code CONFIG_ENV_SIZE}: {@code env export -c} checksums that whole size
 * whatever size it is given, and {@code env import -c} must be given the same. The valid copy with
 * the higher {@code bs_seq} wins; a write always replaces the other copy with seq+1, so a write torn
 * by power loss leaves the previous state in force.
 *
 * <p>Variables, in {@link #VARIABLES} order: {@code bs_seq} (hex, 32-bit, compared unsigned),
 * {@code bs_active} (the committed slot), {@code bs_trial} (the slot on trial, or {@code none}),
 * {@code bs_tries} (hex, trial boots left), {@code bs_failed} (the last slot that failed its trial,
 * or {@code none}). {@code trial} and {@code failed} are null here for {@code none}.
 */
public record BootState(long seq, Slot active, Slot trial, int tries, Slot failed) {

    public static final int SIZE = 0x40000;
    /** The copies' names: {@code bootstate.0} and {@code bootstate.1}. */
    public static final String FILE_PREFIX = "bootstate.";
    public static final List<String> FILES = List.of(FILE_PREFIX + 0, FILE_PREFIX + 1);

    public static final String SEQ = "bs_seq";
    public static final String ACTIVE = "bs_active";
    public static final String TRIAL = "bs_trial";
    public static final String TRIES = "bs_tries";
    public static final String FAILED = "bs_failed";
    public static final List<String> VARIABLES = List.of(SEQ, ACTIVE, TRIAL, TRIES, FAILED);
    /** The value of {@code bs_trial} and {@code bs_failed} when there is no such slot. */
    public static final String NONE = "none";

    /** The state a freshly built image starts in: {@code active} committed, nothing on trial. */
    public static BootState initial(Slot active) {
        return new BootState(1, active, null, 0, null);
    }

    public Map<String, String> variables() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(SEQ, Long.toHexString(seq));
        m.put(ACTIVE, active.name());
        m.put(TRIAL, name(trial));
        m.put(TRIES, Integer.toHexString(tries));
        m.put(FAILED, name(failed));
        return m;
    }

    public BootState next(Slot active, Slot trial, int tries, Slot failed) {
        return new BootState((seq + 1) & 0xffffffffL, active, trial, tries, failed);
    }

    /** One copy's bytes. */
    public byte[] encode() {
        return UBootEnvironment.of(variables()).encode(SIZE, false, 0);
    }

    /** Decodes one copy; empty when its CRC or contents are not valid. */
    public static Optional<BootState> decode(byte[] blob) {
        if (blob.length != SIZE) {
            return Optional.empty();
        }
        Optional<UBootEnvironment.Copy> c = UBootEnvironment.decode(blob, false);
        if (c.isEmpty()) {
            return Optional.empty();
        }
        UBootEnvironment env = c.get().environment();
        try {
            long seq = Long.parseUnsignedLong(env.get(SEQ).orElseThrow(), 16);
            Slot active = Slot.parseOrNull(env.get(ACTIVE).orElseThrow());
            if (active == null) {
                return Optional.empty();
            }
            Slot trial = Slot.parseOrNull(env.get(TRIAL).orElse(NONE));
            int tries = Integer.parseInt(env.get(TRIES).orElse("0"), 16);
            Slot failed = Slot.parseOrNull(env.get(FAILED).orElse(NONE));
            return Optional.of(new BootState(seq, active, trial, tries, failed));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String name(Slot s) {
        return s == null ? NONE : s.name();
    }
}
