package io.fleetkit.spec;

import java.util.Objects;
import java.util.Optional;

/**
 * A per-device setting that {@code fleet flash --set key=value} may fill.
 *
 * @param defaultValue empty = no default, so the value must be given at flash time
 */
public record SettingSpec(String name, Optional<String> defaultValue, String description) {

    public SettingSpec {
        Objects.requireNonNull(name);
        Objects.requireNonNull(defaultValue);
        Objects.requireNonNull(description);
    }
}
