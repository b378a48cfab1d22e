package io.fleetkit.identity;

import io.fleetkit.events.UsageException;
import io.fleetkit.ota.protocol.DeviceReport;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-device settings written to the boot partition as {@code settings.json}; null fields are
 * left out. {@code values} are the spec's declared settings given with {@code --set key=value};
 * {@code sshKeys} are lines for root's {@code authorized_keys}. What the device does with them:
 * docs/device-settings.md; what an image accepts: {@link ImageSettings}.
 */
public record DeviceSettings(String hostname, String server, String wifiSsid, String wifiPsk, Map<String, String> values,
                             List<String> sshKeys) {

    public DeviceSettings {
        values = Collections.unmodifiableMap(new TreeMap<>(values));
        sshKeys = List.copyOf(sshKeys);
    }

    public DeviceSettings(String hostname, String server, String wifiSsid, String wifiPsk, Map<String, String> values) {
        this(hostname, server, wifiSsid, wifiPsk, values, List.of());
    }

    public static DeviceSettings none() {
        return new DeviceSettings(null, null, null, null, Map.of());
    }

    public boolean isEmpty() {
        return hostname == null && server == null && wifiSsid == null && wifiPsk == null && values.isEmpty() && sshKeys.isEmpty();
    }

    public DeviceSettings withHostname(String h) {
        return new DeviceSettings(h, server, wifiSsid, wifiPsk, values, sshKeys);
    }

    /**
     * Checks each value's form, so that what reaches the device is what its init and agent read
     * (they leave out what they cannot), and returns this.
     */
    public DeviceSettings validate() {
        if (hostname != null && !DeviceReport.HOSTNAME.matcher(hostname).matches()) {
            throw new UsageException("flash.bad-hostname", "'" + hostname + "' is not a valid host name",
                    "use letters, digits and '-', at most 63 characters");
        }
        if (server != null && !server.matches("(tcp|ssl|mqtt|mqtts)://[A-Za-z0-9.\\[\\]:-]+:[0-9]{1,5}")) {
            throw new UsageException("flash.bad-server", "'" + server + "' is not a fleet server URL",
                    "give tcp://HOST:PORT or ssl://HOST:PORT, e.g. ssl://fleet.example.com:8883");
        }
        if (values.size() > DeviceReport.MAX_SETTINGS) {
            throw new UsageException("flash.too-many-settings", values.size() + " settings, more than the "
                    + DeviceReport.MAX_SETTINGS + " a device reports", "set fewer");
        }
        values.forEach((name, value) -> {
            if (!DeviceReport.SETTING_NAME.matcher(name).matches()) {
                throw new UsageException("flash.bad-setting", "setting name '" + name + "' is not lower-case letters, digits and '_'"
                        + " (at most 64, starting with a letter)", "use --set name=value with a name the spec declares");
            }
            if (value.length() > DeviceReport.MAX_SETTING_VALUE || hasControl(value)) {
                throw new UsageException("flash.bad-setting", "the value of " + name + " is not one line of at most "
                        + DeviceReport.MAX_SETTING_VALUE + " characters", "give a shorter value without control characters");
            }
        });
        if (wifiPsk != null && wifiSsid == null) {
            throw new UsageException("flash.wifi-psk-alone", "--wifi-psk without --wifi-ssid", "name the network with --wifi-ssid");
        }
        if (wifiSsid != null && (wifiSsid.isEmpty() || wifiSsid.getBytes(StandardCharsets.UTF_8).length > 32 || hasControl(wifiSsid))) {
            throw new UsageException("flash.bad-wifi-ssid", "'" + wifiSsid + "' is not a Wi-Fi network name",
                    "give 1 to 32 bytes without control characters");
        }
        if (wifiPsk != null && !(wifiPsk.matches("[\\x20-\\x7e]{8,63}") || wifiPsk.matches("[0-9A-Fa-f]{64}"))) {
            throw new UsageException("flash.bad-wifi-psk", "the Wi-Fi passphrase is not 8 to 63 printable ASCII characters"
                    + " (or 64 hex digits)", "give the network's WPA passphrase");
        }
        for (String key : sshKeys) {
            if (hasControl(key) || key.length() > 16384 || !key.matches("(.* )?(ssh-|ecdsa-|sk-)[A-Za-z0-9@.-]+ [A-Za-z0-9+/=]+( .*)?")) {
                throw new UsageException("flash.bad-ssh-key", "'" + shorten(key) + "' is not an SSH public key line",
                        "give a public key file such as ~/.ssh/id_ed25519.pub (one key a line)");
            }
        }
        return this;
    }

    private static boolean hasControl(String s) {
        return s.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    /**
     * The JSON object: {@code hostname}, {@code server}, {@code wifi: {ssid, psk}},
     * {@code ssh: {authorizedKeys: [...]}}, {@code settings: {...}}.
     */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (hostname != null) {
            m.put("hostname", hostname);
        }
        if (server != null) {
            m.put("server", server);
        }
        if (wifiSsid != null || wifiPsk != null) {
            Map<String, Object> wifi = new LinkedHashMap<>();
            if (wifiSsid != null) {
                wifi.put("ssid", wifiSsid);
            }
            if (wifiPsk != null) {
                wifi.put("psk", wifiPsk);
            }
            m.put("wifi", wifi);
        }
        if (!sshKeys.isEmpty()) {
            Map<String, Object> ssh = new LinkedHashMap<>();
            ssh.put("authorizedKeys", sshKeys);
            m.put("ssh", ssh);
        }
        if (!values.isEmpty()) {
            m.put("settings", values);
        }
        return m;
    }
}
