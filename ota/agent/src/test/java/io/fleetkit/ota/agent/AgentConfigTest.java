package io.fleetkit.ota.agent;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.formats.bootstate.Slot;
import io.fleetkit.ota.bundle.SigningKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AgentConfigTest {

    @TempDir
    Path dir;

    @Test
    void readsPropertiesFileWithChecksAndDefaults() throws Exception {
        Path f = Files.writeString(dir.resolve("agent.properties"), String.join("\n",
                "board=rpi4", "version=1.0.0", "versionNumber=1000000", "broker.url=ssl://fleet:8883",
                "boot.backend=rpi-tryboot", "health.check.http=wget -q -O- http://127.0.0.1:8080/health",
                "health.deadlineSeconds=90", "reboot.command=busybox reboot", ""));
        AgentConfig c = AgentConfig.load(f);
        assertEquals("rpi-tryboot", c.backend());
        assertEquals(Map.of("http", "wget -q -O- http://127.0.0.1:8080/health"), c.healthChecks());
        assertEquals(Duration.ofSeconds(90), c.healthDeadline());
        assertEquals(List.of("/bin/sh", "-c", "busybox reboot"), c.rebootCommand());
        assertEquals(Path.of("/proc/cmdline"), c.procCmdline());
        assertEquals("fleet/v1", c.topicPrefix());
        assertEquals(16, c.downloadWindow(), "sixteen chunk requests in flight unless told otherwise");
        assertEquals(8L << 20, c.downloadSyncBytes(), "devices checkpoint a download every 8 MiB unless told otherwise");
    }

    @Test
    void takesTheCheckpointIntervalAndRefusesANegativeOne() {
        Map<String, String> m = new java.util.HashMap<>(Map.of("board", "b", "version", "1", "versionNumber", "1",
                "broker.url", "tcp://x:1", "download.syncBytes", "65536"));
        assertEquals(65536, AgentConfig.parse(m, "t").downloadSyncBytes());
        m.put("download.syncBytes", "-1");
        FleetkitException e = assertThrows(FleetkitException.class, () -> AgentConfig.parse(m, "t"));
        assertEquals("agent.bad-config", e.code());
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("download.syncBytes must not be negative"), e.getMessage());
    }

    @Test
    void refusesUnknownKeysAndBackends() {
        Map<String, String> base = Map.of("board", "b", "version", "1", "versionNumber", "1", "broker.url", "tcp://x:1");
        java.util.Map<String, String> typo = new java.util.HashMap<>(base);
        typo.put("helth.deadlineSeconds", "5");
        assertEquals("agent.bad-config", assertThrows(FleetkitException.class, () -> AgentConfig.parse(typo, "t")).code());
        java.util.Map<String, String> backend = new java.util.HashMap<>(base);
        backend.put("boot.backend", "grub");
        assertEquals("agent.bad-config", assertThrows(FleetkitException.class, () -> AgentConfig.parse(backend, "t")).code());
    }

    @Test
    void deviceIdComesFromTheIdentityFileOnP1ThenSerialThenMachineId() throws Exception {
        SigningKey key = TestSlots.newKey();
        SimulatedDevice d = new SimulatedDevice(dir, key, 2, "1.0.0");
        assertEquals(Slot.A, d.powerOn());
        assertEquals("gw-00001", DeviceIdentity.resolve(d.config(), BootBackends.bootPartition(d.config())));
        d.disk.withMtools(p1 -> io.fleetkit.formats.testing.HostTool.ok("mtools", "mdel", "-i", p1.toString(), "::/identity/device.json"));
        Files.writeString(d.dir.resolve("machine-id"), "0123456789abcdef0123456789abcdef\n");
        assertEquals("0123456789abcdef0123456789abcdef", DeviceIdentity.resolve(d.config(), BootBackends.bootPartition(d.config())));
        Files.createDirectories(d.dir.resolve("dt"));
        Files.write(d.dir.resolve("dt/serial-number"), "10000000c0ffee01\0".getBytes());
        assertEquals("10000000c0ffee01", DeviceIdentity.resolve(d.config(), BootBackends.bootPartition(d.config())));
    }
}
