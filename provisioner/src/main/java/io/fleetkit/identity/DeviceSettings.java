package io.fleetkit.identity;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-device settings written to the boot partition as {@code settings.json}; null fields are
 * left out. {@code values} are the spec's declared settings given with {@code --set key=value}.
 */
public record DeviceSettings(String hostname, String server, String wifiSsid, String wifiPsk, Map<String, String> values) {

    public DeviceSettings {
        values = Map.copyOf(values);
    }

    public static DeviceSettings none() {
        return new DeviceSettings(null, null, null, null, Map.of());
    }

    public boolean isEmpty() {
        return hostname == null && server == null && wifiSsid == null && wifiPsk == null && values.isEmpty();
    }

    public DeviceSettings withHostname(String h) {
        return new DeviceSettings(h, server, wifiSsid, wifiPsk, values);
    }

    /** The JSON object: {@code hostname}, {@code server}, {@code wifi: {ssid, psk}}, {@code settings: {...}}. */
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
        if (!values.isEmpty()) {
            m.put("settings", new java.util.TreeMap<>(values));
        }
        return m;
    }
}
