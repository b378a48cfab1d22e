package io.fleetkit.kernel;

import java.util.Objects;

/**
 * One Kernel Self Protection Project setting: {@code option} should be {@code value}
 * ({@link KernelConfig#NOT_SET} for "is not set"), for the reason in {@code why}.
 */
public record KsppRecommendation(String option, String value, String why) {

    public KsppRecommendation {
        Objects.requireNonNull(option, "option");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(why, "why");
    }

    public boolean wantsUnset() {
        return KernelConfig.NOT_SET.equals(value);
    }

    /** As it would read in a .config. */
    public String asConfigLine() {
        return wantsUnset() ? "# " + option + " is not set" : option + "=" + value;
    }
}
