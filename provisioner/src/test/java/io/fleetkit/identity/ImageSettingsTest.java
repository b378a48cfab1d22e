package io.fleetkit.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.events.UsageException;
import io.fleetkit.json.JsonParser;
import io.fleetkit.json.JsonWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** fleet flash and fleet station write only settings the image reads, in a form its init and agent take. */
class ImageSettingsTest {

    /** The deviceSettings part of a build report, as fleet build writes it (agent-image BuildReportTest). */
    private static final String REPORT = """
            {"name": "gateway", "deviceSettings": {
              "settings": [{"name": "location", "default": "lab", "description": "where"}, {"name": "site_key", "description": ""}],
              "server": true, "wifi": false, "sshKeys": false}}
            """;

    private static Optional<ImageSettings> image(String report) {
        return ImageSettings.fromReport(JsonParser.parseObject(report, 1 << 16));
    }

    private static DeviceSettings settings(Map<String, String> values) {
        return new DeviceSettings("gw-7", null, null, null, values);
    }

    private static String refusal(DeviceSettings s, Optional<ImageSettings> image) {
        return assertThrows(UsageException.class, () -> ImageSettings.check(s, image, "gateway-1.0.0.img")).code();
    }

    @Test
    void acceptsDeclaredSettingsAndRequiresThoseWithoutADefault() {
        DeviceSettings ok = settings(Map.of("location", "lab-3", "site_key", "k"));
        assertSame(ok, ImageSettings.check(ok, image(REPORT), "gateway-1.0.0.img"));
        assertEquals(List.of(new ImageSettings.Declared("location", Optional.of("lab")), new ImageSettings.Declared("site_key",
                Optional.empty())), image(REPORT).orElseThrow().settings());

        assertEquals("flash.setting-required", refusal(settings(Map.of("location", "x")), image(REPORT)));
        UsageException e = assertThrows(UsageException.class, () -> ImageSettings.check(
                settings(Map.of("site_key", "k", "colour", "red")), image(REPORT), "gateway-1.0.0.img"));
        assertEquals("flash.undeclared-setting", e.code());
        assertTrue(e.getMessage().contains("'colour'") && e.getMessage().contains("location, site_key"), e.getMessage());
    }

    @Test
    void refusesWifiAndSshKeysAnImageCannotUseAndAServerWithoutAnAgent() {
        Map<String, String> key = Map.of("site_key", "k");
        assertEquals("flash.no-wifi", refusal(new DeviceSettings(null, null, "office", "correct horse", key), image(REPORT)));
        assertEquals("flash.no-ssh-server", refusal(new DeviceSettings(null, null, null, null, key,
                List.of("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB a@b")), image(REPORT)));
        assertEquals("flash.no-agent", refusal(new DeviceSettings(null, "tcp://h:1883", null, null, key),
                image(REPORT.replace("\"server\": true", "\"server\": false"))));
        DeviceSettings wifi = new DeviceSettings(null, null, "office", "correct horse", key,
                List.of("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB a@b"));
        assertSame(wifi, ImageSettings.check(wifi, image(REPORT.replace("false, \"sshKeys\": false", "true, \"sshKeys\": true")), "g"));
    }

    @Test
    void withoutAReportOnlyAHostNameMayBeGiven() {
        DeviceSettings named = DeviceSettings.none().withHostname("gw-7");
        assertSame(named, ImageSettings.check(named, image("{}"), "g"));
        assertEquals("flash.settings-unknown", refusal(settings(Map.of("location", "x")), image("{\"name\": \"old\"}")));
    }

    @Test
    void refusesValuesTheDeviceCouldNotTake() {
        Optional<ImageSettings> all = image(REPORT.replace("false, \"sshKeys\": false", "true, \"sshKeys\": true"));
        Map<String, String> key = Map.of("site_key", "k");
        assertEquals("flash.bad-hostname", refusal(new DeviceSettings("gw_7", null, null, null, key), all));
        assertEquals("flash.bad-server", refusal(new DeviceSettings(null, "http://fleet/", null, null, key), all));
        assertEquals("flash.bad-setting", refusal(settings(Map.of("site_key", "two\nlines")), all));
        assertEquals("flash.bad-setting", refusal(settings(Map.of("site_key", "x".repeat(257))), all));
        assertEquals("flash.bad-wifi-psk", refusal(new DeviceSettings(null, null, "office", "short", key), all));
        assertEquals("flash.bad-wifi-ssid", refusal(new DeviceSettings(null, null, "x".repeat(33), null, key), all));
        assertEquals("flash.wifi-psk-alone", refusal(new DeviceSettings(null, null, null, "correct horse", key), all));
        assertEquals("flash.bad-ssh-key", refusal(new DeviceSettings(null, null, null, null, key, List.of("not a key")), all));
    }

    @Test
    void theSettingsFileIsWhatTheInitReads() {
        DeviceSettings s = new DeviceSettings("gw-7", "ssl://fleet:8883", "office", "correct horse", Map.of("zone", "b", "location", "x"),
                List.of("ssh-ed25519 AAAA a@b"));
        assertEquals("""
                {
                  "hostname": "gw-7",
                  "server": "ssl://fleet:8883",
                  "wifi": {
                    "ssid": "office",
                    "psk": "correct horse"
                  },
                  "ssh": {
                    "authorizedKeys": [
                      "ssh-ed25519 AAAA a@b"
                    ]
                  },
                  "settings": {
                    "location": "x",
                    "zone": "b"
                  }
                }
                """, JsonWriter.writePretty(s.toJson()));
    }
}
