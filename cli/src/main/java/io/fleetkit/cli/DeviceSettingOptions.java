package io.fleetkit.cli;

import io.fleetkit.events.UsageException;
import io.fleetkit.identity.DeviceSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Per-device settings written to the boot partition at flash time (flash and station share them). */
public final class DeviceSettingOptions {

    @Option(names = "--server", paramLabel = "URL", description = "The fleet server the device connects to (settings.json).")
    String server;

    @Option(names = "--wifi-ssid", paramLabel = "SSID", description = "Wi-Fi network name (settings.json).")
    String wifiSsid;

    @Option(names = "--wifi-psk", paramLabel = "PSK", description = "Wi-Fi passphrase (settings.json).")
    String wifiPsk;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "A setting the spec declares (repeatable). The build report does not list declared settings yet, so any key is accepted.")
    Map<String, String> values = new LinkedHashMap<>();

    DeviceSettings toSettings(String hostname) {
        for (String key : values.keySet()) {
            if (!key.matches("[A-Za-z0-9_.-]{1,64}")) {
                throw new UsageException("flash.bad-setting", "setting name '" + key + "' is not 1-64 of [A-Za-z0-9_.-]",
                        "use --set name=value with a name the spec declares");
            }
        }
        if (hostname != null && !hostname.matches("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?")) {
            throw new UsageException("flash.bad-hostname", "'" + hostname + "' is not a valid host name",
                    "use letters, digits and '-', at most 63 characters");
        }
        return new DeviceSettings(hostname, server, wifiSsid, wifiPsk, values);
    }
}
