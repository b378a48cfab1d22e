package io.fleetkit.cli;

import io.fleetkit.flash.ImageSource;
import io.fleetkit.identity.DeviceSettings;
import io.fleetkit.identity.ImageSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Per-device settings written to the boot partition at flash time (flash and station share them),
 * refused when the image would not use them (docs/device-settings.md).
 */
public final class DeviceSettingOptions {

    @Option(names = "--server", paramLabel = "URL",
            description = "The fleet server this device's agent connects to, instead of the one in the image (tcp:// or ssl://).")
    String server;

    @Option(names = "--wifi-ssid", paramLabel = "SSID",
            description = "Wi-Fi network to join (images with wpasupplicant on a board with Wi-Fi).")
    String wifiSsid;

    @Option(names = "--wifi-psk", paramLabel = "PSK", description = "Wi-Fi passphrase (8-63 characters); leave out for an open network.")
    String wifiPsk;

    @Option(names = "--ssh-key", paramLabel = "FILE",
            description = "Public keys (one a line, as in authorized_keys) root may log in with (images with an SSH server). Repeatable.")
    List<Path> sshKeyFiles = new ArrayList<>();

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "A setting the image's spec declares (repeatable); the build report beside the image lists them.")
    Map<String, String> values = new LinkedHashMap<>();

    /** The settings, checked against what {@code image} reads (its build report). */
    DeviceSettings toSettings(String hostname, ImageSource image) throws IOException {
        List<String> keys = new ArrayList<>();
        for (Path f : sshKeyFiles) {
            for (String line : Files.readAllLines(f)) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    keys.add(line.strip());
                }
            }
        }
        DeviceSettings settings = new DeviceSettings(hostname, server, wifiSsid, wifiPsk, values, keys);
        return ImageSettings.check(settings, ImageSettings.fromReport(image.report()), image.name());
    }
}
