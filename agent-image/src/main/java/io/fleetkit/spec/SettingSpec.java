package io.fleetkit.spec;

import java.util.Objects;
import java.util.Optional;

/**
 * A per-device setting that {@code fleet flash --set key=value} may fill. On the device every
 * service sees it in {@code /run/fleetkit/settings.json} and as {@link #envName()}.
 *
 * @param name         lower-case letters, digits and '_', starting with a letter, at most {@link #MAX_NAME} characters
 * @param defaultValue empty = no default, so the value must be given at flash time
 */
public record SettingSpec(String name, Optional<String> defaultValue, String description) {

    /** Services see setting {@code location} as {@code FLEET_SETTING_LOCATION}. */
    public static final String ENV_PREFIX = "FLEET_SETTING_";
    public static final int MAX_NAME = 64;
    public static final String NAME_PATTERN = "[a-z][a-z0-9_]{0," + (MAX_NAME - 1) + "}";

    public SettingSpec {
        Objects.requireNonNull(name);
        Objects.requireNonNull(defaultValue);
        Objects.requireNonNull(description);
    }

    /** The environment variable every service sees this setting in. */
    public String envName() {
        return ENV_PREFIX + name.toUpperCase(java.util.Locale.ROOT);
    }
}
