package io.fleetkit.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fleetkit.json.JsonParser;
import io.fleetkit.json.JsonWriter;
import io.fleetkit.spec.NetMode;
import io.fleetkit.spec.RestartPolicy;
import io.fleetkit.spec.ServiceSpec;
import io.fleetkit.spec.SettingSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The init's settings-apply, run by the same busybox the images carry (Debian's busybox, on the host)
 * over a root made here: what it makes of a device's settings.json is what services, the agent, the
 * Wi-Fi supplicant and an SSH server read. Commands with effects outside the root (hostname, ip,
 * udhcpc) are stand-ins that record their arguments.
 */
class DeviceSettingsScriptTest {

    private static final List<SettingSpec> DECLARED = List.of(
            new SettingSpec("location", Optional.of("lab"), "where"),
            new SettingSpec("motto", Optional.of("say \"hi\""), ""),
            new SettingSpec("site_key", Optional.empty(), ""));

    @TempDir
    Path root;

    @BeforeEach
    void makeRoot() throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/busybox")) || Files.isExecutable(Path.of("/bin/busybox")),
                "busybox (Debian package busybox) runs the init's scripts");
        Path etc = Files.createDirectories(root.resolve("etc/fleetkit"));
        for (String r : List.of(DeviceSettingsStep.APPLY, DeviceSettingsStep.JSON_READER)) {
            try (InputStream in = DeviceSettingsStep.class.getResourceAsStream(r)) {
                Files.write(etc.resolve(r), in.readAllBytes());
            }
        }
        Files.writeString(etc.resolve(DeviceSettingsStep.DECLARED), DeviceSettingsStep.declared(DECLARED));
        ServiceSpec web = new ServiceSpec("web", List.of("/bin/busybox", "env"), 1000, 1000, List.of(), true, NetMode.NONE,
                RestartPolicy.ALWAYS, Optional.empty(), Map.of("TZ", "UTC"), List.of());
        Files.createDirectories(etc.resolve("services/web"));
        Files.writeString(etc.resolve("services/web/config.json"),
                JsonWriter.writePretty(OciRuntimeConfig.forService(web, "/run/fleetkit/svc/web/rootfs", DECLARED)));
        Files.writeString(root.resolve("etc/hostname"), "gateway\n");
        Files.createDirectories(root.resolve("run/fleetkit"));
        Files.createDirectories(root.resolve("sys/class/net/wlan0"));
        Path bin = Files.createDirectories(root.resolve("usr/sbin"));
        stub(bin.resolve("hostname"), """
                #!/bin/sh
                f=$R/hostname.now
                if [ "$1" = -F ]; then cat "$2" > $f; elif [ -n "$1" ]; then echo "$1" > $f; else cat $f 2>/dev/null || echo "(none)"; fi
                """);
        stub(bin.resolve("ip"), "#!/bin/sh\necho \"ip $*\" >> $R/network.log\n");
        stub(bin.resolve("udhcpc"), "#!/bin/sh\necho \"udhcpc $*\" >> $R/network.log\n");
    }

    private void withWifiAndSsh() throws IOException {
        Files.createDirectories(root.resolve("etc/fleetkit/services/" + DeviceSettingsStep.WIFI_SERVICE));
        Files.write(root.resolve("etc/fleetkit/services/" + DeviceSettingsStep.WIFI_SERVICE + "/needs-wifi"), new byte[0]);
        Files.createDirectories(root.resolve("root"));
        Files.createSymbolicLink(root.resolve("root/.ssh"), Path.of(DeviceSettingsStep.SSH_DIR));
    }

    @Test
    void theDevicesValuesWinOverTheDefaultsForTheHostNameTheSettingsFileAndEveryServicesEnvironment() throws Exception {
        String console = apply("""
                {
                  "hostname": "gw-7",
                  "server": "ssl://fleet.example:8883",
                  "settings": {"location": "lab-3 \\"north\\" / ünï", "site_key": "k1"}
                }
                """);

        assertTrue(console.contains("fleetkit: hostname gw-7\n"), console);
        Map<String, Object> seen = JsonParser.parseObject(read("run/fleetkit/settings.json"), 65536);
        assertEquals("gw-7", seen.get("hostname"));
        assertEquals("ssl://fleet.example:8883", seen.get("server"));
        assertEquals(Map.of("location", "lab-3 \"north\" / ünï", "motto", "say \"hi\"", "site_key", "k1"), seen.get("settings"));
        List<Object> env = env("run/fleetkit/services/web/config.json");
        assertTrue(env.containsAll(List.of("TZ=UTC", "FLEET_SETTING_LOCATION=lab-3 \"north\" / ünï", "FLEET_SETTING_MOTTO=say \"hi\"",
                "FLEET_SETTING_SITE_KEY=k1")), env.toString());
        assertEquals(read("etc/fleetkit/services/web/config.json").replace("=lab\"", "=lab-3 \\\"north\\\" / ünï\"")
                .replace("SITE_KEY=\"", "SITE_KEY=k1\""), read("run/fleetkit/services/web/config.json"), "only the values change");
        assertFalse(Files.exists(root.resolve("run/fleetkit-settings")), "the working copy is gone");
    }

    @Test
    void withoutTheDevicesFileTheDefaultsAndTheOnbootHostNameHold() throws Exception {
        Files.writeString(root.resolve("hostname.now"), "from-onboot\n");

        String console = apply(null);

        assertTrue(console.contains("fleetkit: hostname from-onboot\n"), console);
        Map<String, Object> seen = JsonParser.parseObject(read("run/fleetkit/settings.json"), 65536);
        assertEquals(Map.of("hostname", "from-onboot", "settings", Map.of("location", "lab", "motto", "say \"hi\"", "site_key", "")),
                seen);
        assertTrue(env("run/fleetkit/services/web/config.json").contains("FLEET_SETTING_LOCATION=lab"));
    }

    @Test
    void aHostNameNobodySetIsTheImagesName() throws Exception {
        assertTrue(apply(null).contains("fleetkit: hostname gateway\n"));
    }

    @Test
    void refusesWhatIsNotJsonOrNotAHostNameOrNotDeclaredAndKeepsTheRest() throws Exception {
        assertTrue(apply("{\"hostname\": \"gw-7\", ").contains("is not valid JSON"));
        assertTrue(JsonParser.parseObject(read("run/fleetkit/settings.json"), 65536).get("settings").toString().contains("location=lab"));

        String console = apply("{\"hostname\": \"gw_7; reboot\", \"settings\": {\"colour\": \"red\", \"location\": \"x\"}}");
        assertTrue(console.contains("the host name in settings.json is not a host name; ignored"), console);
        assertTrue(console.contains("fleetkit: setting colour is not declared by this image; ignored"), console);
        assertTrue(console.contains("fleetkit: hostname gateway\n"), console);
        assertTrue(env("run/fleetkit/services/web/config.json").contains("FLEET_SETTING_LOCATION=x"));
    }

    @Test
    void writesTheSupplicantsConfigurationAndRootsKeysOnlyForAnImageThatHasThem() throws Exception {
        String device = """
                {"wifi": {"ssid": "Office \\"2\\"", "psk": "correct horse"},
                 "ssh": {"authorizedKeys": ["ssh-ed25519 AAAAC3Nz a@b", "ssh-rsa AAAAB3 c@d"]}}
                """;
        assertTrue(apply(device).contains("this image has no Wi-Fi supplicant"));
        assertFalse(Files.exists(root.resolve("run/wifi")));
        assertFalse(Files.exists(root.resolve("run/fleetkit/ssh")));

        withWifiAndSsh();
        String console = apply(device);

        assertEquals("""
                # written at boot by Fleetkit from identity/settings.json
                network={
                  ssid=4f666669636520223222
                  psk="correct horse"
                }
                """, read("run/wifi/wpa_supplicant.conf"));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(root.resolve("run/wifi/wpa_supplicant.conf"))));
        assertFalse(read("run/fleetkit/settings.json").contains("correct horse"), "services never see the passphrase");
        assertTrue(console.contains("fleetkit: Wi-Fi network Office \\\"2\\\""), console);
        assertEquals("ssh-ed25519 AAAAC3Nz a@b\nssh-rsa AAAAB3 c@d\n", read("run/fleetkit/ssh/authorized_keys"));
        assertTrue(console.contains("fleetkit: 2 authorized SSH key(s) for root"), console);
        awaitNetworkLog("udhcpc -i wlan0");
    }

    @Test
    void anOpenNetworkAndAHexKeyAreWrittenAsTheSupplicantWantsThem() throws Exception {
        withWifiAndSsh();
        apply("{\"wifi\": {\"ssid\": \"cafe\"}}");
        assertTrue(read("run/wifi/wpa_supplicant.conf").contains("  ssid=63616665\n  key_mgmt=NONE\n"));
        String hex = "0123456789abcdef".repeat(4);
        apply("{\"wifi\": {\"ssid\": \"cafe\", \"psk\": \"" + hex + "\"}}");
        assertTrue(read("run/wifi/wpa_supplicant.conf").contains("  psk=" + hex + "\n"));
    }

    private String apply(String deviceJson) throws Exception {
        Path device = root.resolve("device-settings.json");
        Files.deleteIfExists(device);
        if (deviceJson != null) {
            Files.writeString(device, deviceJson);
        }
        ProcessBuilder pb = new ProcessBuilder("busybox", "sh", root.resolve("etc/fleetkit/" + DeviceSettingsStep.APPLY).toString(),
                deviceJson == null ? "" : device.toString()).redirectErrorStream(true);
        pb.environment().put("R", root.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    private String read(String path) throws IOException {
        return Files.readString(root.resolve(path));
    }

    @SuppressWarnings("unchecked")
    private List<Object> env(String config) throws IOException {
        Map<String, Object> doc = JsonParser.parseObject(read(config), 1 << 20);
        return (List<Object>) ((Map<String, Object>) doc.get("process")).get("env");
    }

    private void awaitNetworkLog(String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        Path log = root.resolve("network.log");
        while (!(Files.exists(log) && Files.readString(log).contains(text))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no '" + text + "' in " + log);
            }
            Thread.sleep(50);
        }
    }

    private static void stub(Path file, String script) throws IOException {
        Files.writeString(file, script);
        file.toFile().setExecutable(true);
    }
}
