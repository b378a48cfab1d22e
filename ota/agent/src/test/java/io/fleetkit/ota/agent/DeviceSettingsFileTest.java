package io.fleetkit.ota.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.events.Event;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's view of the device's settings: the file the init writes at boot, and the server it names. */
class DeviceSettingsFileTest {

    @TempDir
    Path dir;

    private final List<Event> log = new ArrayList<>();

    private AgentConfig config(Path settings) {
        return AgentConfig.parse(Map.of("board", "qemu-arm64", "version", "1.0.0", "versionNumber", "1000000",
                "broker.url", "tcp://10.0.2.2:1883", "settings.file", settings.toString()), "test");
    }

    @Test
    void theDevicesServerHostNameAndSettingsAreRead() throws Exception {
        Path f = Files.writeString(dir.resolve("settings.json"), """
                {
                  "hostname": "gw-7",
                  "server": "ssl://fleet.example:8883",
                  "settings": {
                    "location": "lab-3 \\"north\\"",
                    "zone": ""
                  }
                }
                """);
        AgentConfig config = config(f);
        assertEquals(f, config.settingsFile());

        DeviceSettingsFile s = DeviceSettingsFile.read(config.settingsFile(), log::add);

        assertEquals("gw-7", s.hostname());
        assertEquals(Map.of("location", "lab-3 \"north\"", "zone", ""), s.settings());
        assertEquals("ssl://fleet.example:8883", s.applyTo(config, log::add).brokerUrl());
    }

    @Test
    void withoutTheFileOrItsServerTheImagesServerStays() throws Exception {
        AgentConfig config = config(dir.resolve("absent.json"));
        DeviceSettingsFile none = DeviceSettingsFile.read(config.settingsFile(), log::add);
        assertNull(none.hostname());
        assertSame(config, none.applyTo(config, log::add));

        Path f = Files.writeString(dir.resolve("settings.json"), "{\"hostname\": \"gw-7\", \"settings\": {}}");
        assertSame(config, DeviceSettingsFile.read(f, log::add).applyTo(config, log::add));
        assertEquals("/run/fleetkit/settings.json", AgentConfig.parse(Map.of("board", "b", "version", "1", "versionNumber", "1",
                "broker.url", "tcp://h:1"), "t").settingsFile().toString());
    }

    @Test
    void theReportCarriesTheHostNameAndSettingsButNothingOfTheWifi() throws Exception {
        SimulatedDevice d = new SimulatedDevice(dir.resolve("dev"), TestSlots.newKey(), 2, "1.0.0");
        d.powerOn();
        Path f = Files.writeString(dir.resolve("settings.json"), "{\"hostname\": \"gw-7\", \"settings\": {\"location\": \"lab-3\"}}");
        StateReporter reporter = new StateReporter(d.config(), "gw-00001", BootBackends.create(d.config()),
                new DeviceIdentity.Network(List.of(), null), DeviceSettingsFile.read(f, log::add));

        byte[] sent = reporter.changed(AgentState.initial(1_000_000), null).orElseThrow();

        io.fleetkit.ota.protocol.DeviceReport r = io.fleetkit.ota.protocol.DeviceReport.decode(sent);
        assertEquals("gw-7", r.hostname());
        assertEquals(Map.of("location", "lab-3"), r.settings());
        assertTrue(!new String(sent, java.nio.charset.StandardCharsets.UTF_8).contains("wifi"));
    }

    @Test
    void aBrokenFileOrAServerOfAnotherKindIsReportedAndIgnored() throws Exception {
        AgentConfig config = config(Files.writeString(dir.resolve("bad.json"), "{\"hostname\": "));
        assertSame(config, DeviceSettingsFile.read(config.settingsFile(), log::add).applyTo(config, log::add));

        Path f = Files.writeString(dir.resolve("http.json"), "{\"server\": \"http://fleet.example/\"}");
        assertSame(config, DeviceSettingsFile.read(f, log::add).applyTo(config, log::add));
        assertEquals(2, log.stream().filter(e -> e instanceof Event.Log l && l.level() == Event.Level.WARN).count(), log.toString());
    }
}
