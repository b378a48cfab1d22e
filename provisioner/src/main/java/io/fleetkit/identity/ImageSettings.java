package io.fleetkit.identity;

import io.fleetkit.events.UsageException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The per-device settings an image reads, as its build report lists them ({@code deviceSettings}
 * in NAME-VERSION.json): the spec's declared settings with their defaults, and whether it reads a
 * server (the update agent), Wi-Fi (a supplicant on a board with Wi-Fi) and SSH keys (an SSH server).
 * Every image that has the list applies a host name. {@link #check} refuses what the image would ignore.
 */
public record ImageSettings(List<Declared> settings, boolean server, boolean wifi, boolean sshKeys) {

    /** @param defaultValue empty: the setting must be given at flash time */
    public record Declared(String name, Optional<String> defaultValue) {
    }

    public ImageSettings {
        settings = List.copyOf(settings);
    }

    /** The list from a build report; empty when the report has none (no report, or one from an older fleet). */
    public static Optional<ImageSettings> fromReport(Map<String, Object> report) {
        if (!(report.get("deviceSettings") instanceof Map<?, ?> m) || !(m.get("settings") instanceof List<?> list)) {
            return Optional.empty();
        }
        List<Declared> declared = new ArrayList<>();
        for (Object o : list) {
            if (o instanceof Map<?, ?> s && s.get("name") instanceof String name) {
                declared.add(new Declared(name, s.get("default") instanceof String d ? Optional.of(d) : Optional.empty()));
            }
        }
        return Optional.of(new ImageSettings(declared, Boolean.TRUE.equals(m.get("server")), Boolean.TRUE.equals(m.get("wifi")),
                Boolean.TRUE.equals(m.get("sshKeys"))));
    }

    /**
     * Checks {@code device} against what {@code image} reads (unknown: only a host name may be given)
     * and returns it; {@code imageName} names the image in refusals.
     */
    public static DeviceSettings check(DeviceSettings device, Optional<ImageSettings> image, String imageName) {
        device.validate();
        if (image.isEmpty()) {
            if (device.server() != null || device.wifiSsid() != null || !device.values().isEmpty() || !device.sshKeys().isEmpty()) {
                throw new UsageException("flash.settings-unknown", imageName + " has no build report listing the settings it reads"
                        + " (its NAME-VERSION.json, from this fleet), so its settings cannot be checked",
                        "keep the .json fleet build wrote beside the image, or rebuild the image");
            }
            return device;
        }
        return image.get().check(device, imageName);
    }

    private DeviceSettings check(DeviceSettings device, String imageName) {
        List<String> names = settings.stream().map(Declared::name).toList();
        for (String key : device.values().keySet()) {
            if (!names.contains(key)) {
                throw new UsageException("flash.undeclared-setting", "the spec of " + imageName + " declares no setting '" + key + "'"
                        + (names.isEmpty() ? " (it declares none)" : " (it declares " + String.join(", ", names) + ")"),
                        "declare it under settings: in the spec and rebuild, or set one the image declares");
            }
        }
        for (Declared d : settings) {
            if (d.defaultValue().isEmpty() && !device.values().containsKey(d.name())) {
                throw new UsageException("flash.setting-required", "setting '" + d.name() + "' of " + imageName + " has no default",
                        "give it: --set " + d.name() + "=VALUE");
            }
        }
        if (device.server() != null && !server) {
            throw new UsageException("flash.no-agent", imageName + " has no update agent to connect to a server",
                    "add an update: section to the spec and rebuild, or leave out --server");
        }
        if (device.wifiSsid() != null && !wifi) {
            throw new UsageException("flash.no-wifi", imageName + " cannot join a Wi-Fi network: its spec's packages lack"
                    + " wpasupplicant, or its board has no Wi-Fi",
                    "on a Raspberry Pi add wpasupplicant and firmware-brcm80211 to the spec's packages and brcmfmac to"
                            + " kernel.modules, rebuild, and flash again (examples/rpi4.yml has them)");
        }
        if (!device.sshKeys().isEmpty() && !sshKeys) {
            throw new UsageException("flash.no-ssh-server", imageName + " has no SSH server to take the key",
                    "add dropbear-bin (or openssh-server) to the spec's packages and a service that runs it"
                            + " (docs/device-settings.md), rebuild, and flash again");
        }
        return device;
    }
}
