package io.fleetkit.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.board.BoardProfiles;
import io.fleetkit.debian.BinaryPackage;
import io.fleetkit.debian.ControlFileParser;
import io.fleetkit.debian.Resolution;
import io.fleetkit.events.Event;
import io.fleetkit.json.JsonParser;
import io.fleetkit.spec.ImageSpec;
import io.fleetkit.spec.SpecLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the settings step puts into an image, offline: the scripts, the declared defaults, the Wi-Fi service, the SSH link. */
class DeviceSettingsStepTest {

    @TempDir
    Path dir;

    private final List<Event> events = new ArrayList<>();

    private DeviceSettingsSupport run(String board, RootTree tree, String... packages) throws IOException {
        Path specFile = dir.resolve("spec.yml");
        Files.writeString(specFile, """
                name: gw
                version: 1.0.0
                board: %s
                settings:
                  location: { default: "lab", description: "where" }
                  site_key:
                """.formatted(board));
        ImageSpec spec = SpecLoader.load(List.of(specFile));
        BuildRequest request = new BuildRequest(List.of(specFile), dir, Set.of(), null, null, true, dir, "gzip", Map.of());
        BuildInputs in = new BuildInputs(request, events::add, spec, BoardProfiles.get(board), null, null, null, null, null);
        return new DeviceSettingsStep(in, resolution(packages), tree).run();
    }

    private static Resolution resolution(String... names) {
        List<BinaryPackage> list = new ArrayList<>();
        for (String n : names) {
            list.add(BinaryPackage.from(ControlFileParser.parse("Package: " + n + "\nVersion: 1.0\nArchitecture: arm64\n"
                    + "Filename: pool/" + n + ".deb\nSize: 1\nSHA256: " + "0".repeat(64) + "\n").get(0)));
        }
        return new Resolution(list, Map.of());
    }

    @Test
    void everyImageReadsTheDevicesSettingsWithTheSpecsDefaults() throws IOException {
        RootTree tree = new RootTree();
        DeviceSettingsSupport s = run("qemu-arm64", tree, "busybox-static");

        assertEquals("location\tlab\nsite_key\t\n", text(tree, "etc/fleetkit/settings.declared"));
        assertEquals(0755, ((RootEntry.File) tree.get("etc/fleetkit/settings-apply")).mode());
        assertTrue(text(tree, "etc/fleetkit/settings-apply").startsWith("#!/bin/sh\n"));
        assertTrue(tree.get("etc/fleetkit/settings-json.awk") instanceof RootEntry.File);
        assertFalse(s.wifi() || s.sshKeys() || s.server());
        assertEquals(List.of("location", "site_key"), s.declared().stream().map(d -> d.name()).toList());
        assertNull(tree.get("etc/fleetkit/services/fleet-wifi/config.json"));
    }

    @Test
    void aSupplicantOnAPiBecomesASandboxedServiceThatWaitsForANetwork() throws IOException {
        RootTree tree = new RootTree();
        DeviceSettingsSupport s = run("rpi4", tree, "wpasupplicant", "firmware-brcm80211");

        assertTrue(s.wifi());
        assertEquals("fleet-wifi", s.wifiService().orElseThrow().name());
        assertTrue(tree.get("etc/fleetkit/services/fleet-wifi/needs-wifi") instanceof RootEntry.File);
        Map<String, Object> config = JsonParser.parseObject(text(tree, "etc/fleetkit/services/fleet-wifi/config.json"), 1 << 20);
        String json = text(tree, "etc/fleetkit/services/fleet-wifi/config.json");
        assertTrue(json.contains("\"/sbin/wpa_supplicant\""), json);
        assertTrue(json.contains("\"CAP_NET_ADMIN\"") && json.contains("\"CAP_NET_RAW\"") && !json.contains("CAP_SYS_ADMIN"), json);
        assertTrue(json.contains("\"destination\": \"/run/wifi\""), json);
        assertFalse(json.contains("\"type\": \"network\""), "on the host's network: " + json);
        assertEquals(Boolean.TRUE, ((Map<?, ?>) config.get("root")).get("readonly"));
        assertEquals("/run/wifi\n", text(tree, "etc/fleetkit/services/fleet-wifi/bind-sources"));
    }

    @Test
    void aSupplicantOnABoardWithoutWifiIsLeftIdleWithAWarning() throws IOException {
        DeviceSettingsSupport s = run("qemu-arm64", new RootTree(), "wpasupplicant");

        assertFalse(s.wifi());
        assertTrue(events.stream().anyMatch(e -> e instanceof Event.Log l && l.level() == Event.Level.WARN
                && l.message().contains("qemu-arm64 has no Wi-Fi")), events.toString());
    }

    @Test
    void anSshServerTakesRootsKeysFromTheSettings() throws IOException {
        RootTree tree = new RootTree();
        assertTrue(run("qemu-arm64", tree, "dropbear-bin").sshKeys());
        RootEntry link = tree.get("root/.ssh");
        assertInstanceOf(RootEntry.Symlink.class, link);
        assertEquals("/run/fleetkit/ssh", ((RootEntry.Symlink) link).target());
    }

    private static String text(RootTree tree, String path) {
        return new String(((RootEntry.File) tree.get(path)).content(), StandardCharsets.UTF_8);
    }
}
