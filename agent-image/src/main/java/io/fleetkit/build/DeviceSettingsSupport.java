package io.fleetkit.build;

import io.fleetkit.spec.ServiceSpec;
import io.fleetkit.spec.SettingSpec;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the image does with per-device settings, as {@link DeviceSettingsStep} set it up; the build
 * report lists it, so {@code fleet flash} refuses what the image would not use.
 *
 * @param declared    the spec's settings, each with its default
 * @param server      the image has the update agent, which connects to the {@code server} setting
 * @param wifi        the image has a Wi-Fi supplicant and the board a Wi-Fi chip
 * @param sshKeys     the image has an SSH server, and root's authorized keys come from the settings
 * @param wifiService the supplicant's service, which the init starts after the spec's
 */
record DeviceSettingsSupport(List<SettingSpec> declared, boolean server, boolean wifi, boolean sshKeys,
                             Optional<ServiceSpec> wifiService) {

    DeviceSettingsSupport {
        declared = List.copyOf(declared);
        Objects.requireNonNull(wifiService);
    }

    BuildReport.DeviceSettings report() {
        return new BuildReport.DeviceSettings(declared.stream().map(s -> new BuildReport.DeviceSettings.Setting(s.name(),
                s.defaultValue(), s.description())).toList(), server, wifi, sshKeys);
    }
}
