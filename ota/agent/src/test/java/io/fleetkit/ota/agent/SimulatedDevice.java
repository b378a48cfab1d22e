package io.fleetkit.ota.agent;

import io.fleetkit.events.EventSink;
import io.fleetkit.ota.boot.BootBackend;
import io.fleetkit.formats.bootstate.BootState;
import io.fleetkit.formats.bootstate.ScriptBootState;
import io.fleetkit.formats.bootstate.Slot;
import io.fleetkit.formats.testing.HostTool;
import io.fleetkit.formats.testing.TestDisk;
import io.fleetkit.ota.boot.RebootKind;
import io.fleetkit.ota.bundle.PemKeys;
import io.fleetkit.ota.bundle.SigningKey;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A device made of files: a real disk image (uboot-script layout), /proc files the agent reads,
 * and a reboot that only records the request. {@link #powerOn()} runs the boot script's logic
 * ({@link io.fleetkit.formats.bootstate.ScriptBootSimulator}) and writes the resulting {@code fleetkit.slot=} and a fresh
 * boot id, as a real boot would.
 */
final class SimulatedDevice {

    final Path dir;
    final TestDisk disk;
    final Path cmdline;
    final Path bootId;
    final Path key;
    final List<RebootKind> reboots = new ArrayList<>();
    final Map<String, String> settings = new LinkedHashMap<>();
    Slot running;

    SimulatedDevice(Path dir, SigningKey signing, long slotMib, String slotAVersion) throws Exception {
        this.dir = dir;
        Path slotA = TestSlots.slotImage(dir.resolve("slotA-src"), slotAVersion, slotMib * TestDisk.MIB / 2);
        this.disk = TestDisk.create(dir, 4, 16, slotMib, Map.of(
                "bootstate.0", BootState.initial(Slot.A).encode(),
                "bootstate.1", new byte[BootState.SIZE],
                "identity/device.json", "{\"id\":\"gw-00001\"}".getBytes()));
        TestSlots.writeSlot(disk, Slot.A, Files.readAllBytes(slotA));
        this.cmdline = dir.resolve("cmdline");
        this.bootId = dir.resolve("boot_id");
        this.key = Files.writeString(dir.resolve("signing.pub"), PemKeys.publicKeyPem(signing.publicKey()));
        Files.writeString(dir.resolve("uptime"), "42.17 80.00\n");
        settings.put("board", TestSlots.BOARD);
        settings.put("version", slotAVersion);
        settings.put("versionNumber", "1000000");
        settings.put("broker.url", "tcp://127.0.0.1:1");
        settings.put("signing.publicKey", key.toString());
        settings.put("disk.device", disk.image.toString());
        settings.put("boot.backend", "uboot-script");
        settings.put("data.dir", dir.resolve("data").toString());
        settings.put("health.services", "true");
        settings.put("health.deadlineSeconds", "60");
        settings.put("download.timeoutSeconds", "2");
        settings.put("proc.cmdline", cmdline.toString());
        settings.put("proc.bootId", bootId.toString());
        settings.put("proc.uptime", dir.resolve("uptime").toString());
        settings.put("proc.deviceTree", dir.resolve("dt").toString());
        settings.put("machineId", dir.resolve("machine-id").toString());
    }

    /** Runs the boot script logic and writes what the booted kernel would see. */
    Slot powerOn() throws Exception {
        running = disk.bootSimulator().boot();
        Files.writeString(cmdline, "console=ttyAMA0 root=/dev/ram0 fleetkit.slot=" + running.name() + "\n");
        Files.writeString(bootId, UUID.randomUUID() + "\n");
        return running;
    }

    AgentConfig config() {
        return AgentConfig.parse(settings, "test");
    }

    Rebooter rebooter() {
        return reboots::add;
    }

    AgentStateStore store() {
        return new AgentStateStore(dir.resolve("data"));
    }

    UpdateStateMachine machine(long runningVersionNumber) throws Exception {
        AgentConfig c = config();
        BootBackend boot = BootBackends.create(c);
        return new UpdateStateMachine("gw-00001", Files.readString(bootId).strip(), runningVersionNumber, store(), boot, rebooter(),
                new BundleCheck(c.board(), List.of(PemKeys.readPublicKey(key)), disk.image, Clock.systemUTC()),
                new SlotDownload(disk.image, boot, c.downloadSyncBytes()), Clock.systemUTC(), EventSink.NONE);
    }

    FleetAgent agent(Clock clock) throws Exception {
        return new FleetAgent(config(), clock, rebooter(), e -> System.err.println("[agent] " + e));
    }

    BootState bootState() throws Exception {
        return new ScriptBootState(disk.bootFiles()).read().state();
    }

    void fsckBoot() throws Exception {
        HostTool.ok(TestDisk.DOSFSTOOLS, "fsck.fat", "-n", disk.extractBoot().toString());
    }
}
