package io.fleetkit.ota.agent;

import io.fleetkit.ota.boot.BootBackend;
import io.fleetkit.ota.protocol.DeviceReport;
import io.fleetkit.ota.protocol.UpdateState;
import io.fleetkit.ota.protocol.UpdateStatus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds the device report (docs/protocol.md) and says when it changed enough to send again:
 * any field but uptime and free space, with download progress counted in whole percent. The
 * network identity (MACs, serial) and the device's host name and settings are read once, when the
 * reporter is made, and sent in every report.
 */
final class StateReporter {

    private final AgentConfig config;
    private final String deviceId;
    private final BootBackend boot;
    private final DeviceIdentity.Network network;
    private final DeviceSettingsFile settings;
    private List<Object> lastKey;
    private AgentRuns.Run run;
    private long sent;

    /**
     * Reads the network identity from {@code /sys/class/net}, the configured device tree, and cpuinfo beside proc.uptime,
     * and the device's settings from {@code settings.file}.
     */
    StateReporter(AgentConfig config, String deviceId, BootBackend boot) {
        this(config, deviceId, boot, DeviceIdentity.network(DeviceIdentity.SYS_CLASS_NET, config.deviceTree(),
                config.procUptime() == null ? null : config.procUptime().resolveSibling("cpuinfo")),
                DeviceSettingsFile.read(config.settingsFile(), io.fleetkit.events.EventSink.NONE));
    }

    StateReporter(AgentConfig config, String deviceId, BootBackend boot, DeviceIdentity.Network network) {
        this(config, deviceId, boot, network, DeviceSettingsFile.none());
    }

    StateReporter(AgentConfig config, String deviceId, BootBackend boot, DeviceIdentity.Network network,
                  DeviceSettingsFile settings) {
        this.config = config;
        this.deviceId = deviceId;
        this.boot = boot;
        this.network = network;
        this.settings = settings;
    }

    /** From now on every report carries its place in {@code run} ({@link io.fleetkit.ota.protocol.ReportOrder}). */
    void startRun(AgentRuns.Run current) {
        run = current;
        sent = 0;
    }

    /** The epoch of the run's count, which events carry too; null before {@link #startRun}. */
    String epoch() {
        return run == null ? null : run.epoch();
    }

    /** Forget what was sent (after a reconnect), so the next call reports. */
    void forget() {
        lastKey = null;
    }

    Optional<byte[]> changed(AgentState s, ChunkTransfer transfer) throws IOException {
        DeviceReport r = report(s, transfer);
        List<Object> key = List.of(Objects.toString(r.slot()), r.slotVersions().toString(), r.update().state(),
                Objects.toString(r.update().target()), (int) (r.update().progress() * 100), Objects.toString(r.update().reason()));
        if (key.equals(lastKey)) {
            return Optional.empty();
        }
        lastKey = key;
        return Optional.of((run == null ? r : r.withOrder(run.report(++sent))).encode());
    }

    DeviceReport report(AgentState s, ChunkTransfer transfer) throws IOException {
        double progress = 0;
        if (s.state() == UpdateState.DOWNLOADING && s.bundle() != null) {
            progress = Math.min(1.0, (double) s.chunksDone() / s.bundle().chunks());
        } else if (s.state() != UpdateState.IDLE && s.state() != UpdateState.FAILED) {
            progress = 1.0;
        }
        UpdateStatus status = new UpdateStatus(s.state(), s.targetVersion(), progress, s.reason());
        Map<String, String> slots = SlotVersions.read(config.disk());
        return new DeviceReport(deviceId, config.board(), config.version(), config.versionNumber(), boot.currentSlot().name(),
                slots, status, freeBytes(), uptimeSeconds(), config.agentVersion(), List.of(),
                network.macs(), network.serial()).withSettings(settings.hostname(), settings.settings());
    }

    private long freeBytes() {
        try {
            Path dir = config.dataDir();
            Files.createDirectories(dir);
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }

    private long uptimeSeconds() {
        try {
            String text = Files.readString(config.procUptime()).strip();
            return (long) Double.parseDouble(text.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
