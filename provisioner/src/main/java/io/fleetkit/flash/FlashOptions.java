package io.fleetkit.flash;

import java.time.Duration;

/**
 * How to flash: read back and check ({@code verify}), accept a non-removable disk
 * ({@code allowFixed}), the per-device boot partition changes (null = none), how large a
 * mapped range may be to be checked before any of it is written, and when a target that
 * takes no data is given up.
 */
public record FlashOptions(boolean verify, boolean allowFixed, BootCustomiser customiser, long holdLimit,
                           Duration stallTimeout) {

    public static FlashOptions defaults() {
        return new FlashOptions(true, false, null, SourceReader.DEFAULT_HOLD_LIMIT, Duration.ofMinutes(2));
    }

    public FlashOptions withVerify(boolean v) {
        return new FlashOptions(v, allowFixed, customiser, holdLimit, stallTimeout);
    }

    public FlashOptions withAllowFixed(boolean a) {
        return new FlashOptions(verify, a, customiser, holdLimit, stallTimeout);
    }

    public FlashOptions withCustomiser(BootCustomiser c) {
        return new FlashOptions(verify, allowFixed, c, holdLimit, stallTimeout);
    }

    public FlashOptions withHoldLimit(long bytes) {
        return new FlashOptions(verify, allowFixed, customiser, bytes, stallTimeout);
    }
}
