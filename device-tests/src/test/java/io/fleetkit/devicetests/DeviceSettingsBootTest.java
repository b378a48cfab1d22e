package io.fleetkit.devicetests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.build.BuildResult;
import io.fleetkit.build.OutputFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Per-device settings reach the device: a card flashed with its own host name, server and a setting
 * the spec declares boots under that name, every service sees the setting (environment and a
 * read-only file), the agent finds the fleet through the card's server alone (the image's server
 * does not exist), and the fleet server shows the host name and the setting. fleet flash refuses
 * what the image would ignore.
 */
class DeviceSettingsBootTest {

    private static final Duration BOOT = Duration.ofSeconds(300);
    private static final String DEVICE = "gw-settings";

    @Test
    void aCardsOwnHostNameServerAndSettingReachTheConsoleTheServicesAndTheFleet() throws Exception {
        BuildResult built = SpecVariants.settingsProbe("qemu-arm64");
        String image = built.path(OutputFormat.IMG).toString();
        Path disk = TestBuilds.ROOT.resolve("disks").resolve(DEVICE + ".img");
        Files.createDirectories(disk.getParent());
        Files.deleteIfExists(disk);

        FleetRig.CliResult undeclared = FleetRig.run("flash", image, disk.toString(), "--set", "colour=red");
        assertEquals(2, undeclared.exit(), undeclared.toString());
        assertTrue(undeclared.err().contains("declares no setting 'colour' (it declares location)"), undeclared.err());
        FleetRig.CliResult wifi = FleetRig.run("flash", image, disk.toString(), "--wifi-ssid", "office", "--wifi-psk", "correct horse");
        assertEquals(2, wifi.exit(), wifi.toString());
        assertTrue(wifi.err().contains("cannot join a Wi-Fi network") && wifi.err().contains("wpasupplicant"), wifi.err());
        assertTrue(Files.notExists(disk), "nothing was written");

        FleetRig.CliResult flashed = FleetRig.run("flash", image, disk.toString(), "--identity", DeviceIdentities.issue(DEVICE).toString(),
                "--hostname", "gw-7", "--set", "location=lab-3", "--server", "ssl://10.0.2.2:" + FleetRig.PORT);
        assertEquals(0, flashed.exit(), flashed.toString());

        try (FleetRig fleet = FleetRig.start(DEVICE, TestBuilds.keys());
             EmulatedDevice device = new EmulatedDevice(DEVICE, "qemu-arm64", disk, 0)) {
            Emulator vm = device.powerOn();
            vm.expect("^fleetkit: hostname gw-7$", BOOT);
            vm.expect("^show-settings: location=lab-3$", BOOT);
            vm.expect("^show-settings: \"hostname\": \"gw-7\",$", BOOT);
            vm.expect("^show-settings: \"server\": \"ssl://10\\.0\\.2\\.2:" + FleetRig.PORT + "\",$", BOOT);
            vm.expect("^show-settings: \"location\": \"lab-3\"$", BOOT);
            vm.expect("^show-settings: read-only$", BOOT);
            vm.expect("^fleetkit: ready gateway 1\\.0\\.0 slot=A$", BOOT);

            fleet.awaitDevice(DEVICE, "online with its host name and setting", d -> d.online() && "gw-7".equals(d.hostname())
                    && "lab-3".equals(d.settings().get("location")), BOOT);
            FleetRig.CliResult show = fleet.ok("device", "show", DEVICE);
            assertTrue(show.out().contains("hostname     gw-7\n"), show.out());
            assertTrue(show.out().contains("settings     location=lab-3\n"), show.out());
        }
    }
}
