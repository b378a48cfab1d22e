package io.fleetkit.devicetests.simulated;

import io.fleetkit.build.VersionNumber;
import io.fleetkit.events.Event;
import io.fleetkit.formats.bootstate.BootState;
import io.fleetkit.formats.bootstate.ScriptBootSimulator;
import io.fleetkit.formats.bootstate.ScriptBootState;
import io.fleetkit.formats.bootstate.Slot;
import io.fleetkit.formats.fat.FatFileInPlace;
import io.fleetkit.formats.mbr.MbrReader;
import io.fleetkit.identity.DeviceCredentials;
import io.fleetkit.keys.FleetKeys;
import io.fleetkit.ota.agent.AgentConfig;
import io.fleetkit.ota.agent.AgentState;
import io.fleetkit.ota.agent.AgentStateStore;
import io.fleetkit.ota.agent.FleetAgent;
import io.fleetkit.ota.agent.SlotVersions;
import io.fleetkit.ota.boot.RebootKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One device in the test JVM: the real {@link FleetAgent} with the real {@code uboot-script}
 * backend on its own file-backed disk ({@link DeviceDisk}). A reboot the agent asks for is a
 * power cycle on the device's own thread: the agent is cut off (no DISCONNECT, so the broker
 * sends its last will), the boot script's logic ({@link ScriptBootSimulator}) picks the slot and
 * updates the boot state, the kernel's {@code fleetkit.slot=} and a fresh boot id are written,
 * and a new agent starts with the configuration the booted slot carries (its version from the
 * slot's {@code slot.json}).
 */
final class SimulatedDevice implements AutoCloseable {

    static final String BOARD = "qemu-arm64";

    final String id;
    final Path dir;
    final Path disk;
    private final Map<String, String> settings = new ConcurrentHashMap<>();
    private final ExecutorService power;
    private final AtomicInteger reboots = new AtomicInteger();
    private final Deque<String> log = new ArrayDeque<>();
    private String lastText;
    private int repeats;
    private volatile FleetAgent agent;
    private volatile Slot running;
    private volatile boolean closed;
    private volatile Throwable powerFailure;

    SimulatedDevice(Path dir, String id, byte[] slotA, Path signingPub, String brokerUrl, DeviceDisk layout) throws IOException {
        this.id = id;
        this.dir = Files.createDirectories(dir);
        this.disk = dir.resolve("disk.img");
        layout.write(disk, id, slotA);
        Files.writeString(dir.resolve("uptime"), "42.17 80.00\n");
        settings.put("board", BOARD);
        settings.put("broker.url", brokerUrl);
        if (brokerUrl.startsWith("ssl://")) {
            // the device's identity from the fleet CA (its keys beside signing.pub), as `fleet station` would write it
            DeviceCredentials c = DeviceCredentials.issue(FleetKeys.load(signingPub.getParent()), id, Clock.systemUTC());
            c.writeTo(dir.resolve("identity"));
            settings.put("tls.ca", dir.resolve("identity").resolve(DeviceCredentials.CA_FILE).toString());
            settings.put("tls.cert", dir.resolve("identity").resolve(DeviceCredentials.CERT_FILE).toString());
            settings.put("tls.key", dir.resolve("identity").resolve(DeviceCredentials.KEY_FILE).toString());
        }
        settings.put("signing.publicKey", signingPub.toString());
        settings.put("disk.device", disk.toString());
        settings.put("boot.backend", "uboot-script");
        settings.put("data.dir", dir.resolve("data").toString());
        settings.put("health.services", "true");
        settings.put("health.deadlineSeconds", "60");
        settings.put("download.timeoutSeconds", "5");
        settings.put("proc.cmdline", dir.resolve("cmdline").toString());
        settings.put("proc.bootId", dir.resolve("boot_id").toString());
        settings.put("proc.uptime", dir.resolve("uptime").toString());
        settings.put("proc.deviceTree", dir.resolve("dt").toString());
        settings.put("machineId", dir.resolve("machine-id").toString());
        this.power = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "power-" + id);
            t.setDaemon(true);
            return t;
        });
    }

    /** Every slot's software fails its per-spec health check (only a trial runs the checks). */
    SimulatedDevice failingHealthCheck(int deadlineSeconds) {
        settings.put("health.check.app", "exit 3");
        settings.put("health.deadlineSeconds", Integer.toString(deadlineSeconds));
        return this;
    }

    SimulatedDevice set(String key, String value) {
        settings.put(key, value);
        return this;
    }

    /** Removes a setting the device was given (e.g. its TLS files, to make it use what is on its boot partition). */
    SimulatedDevice unset(String key) {
        settings.remove(key);
        return this;
    }

    /** Boots: the boot script's choice of slot, what the kernel tells the agent, then the agent. */
    synchronized void powerOn() throws Exception {
        if (closed) {
            return;
        }
        Slot slot = new ScriptBootSimulator(bootPartition()).boot();
        Files.writeString(dir.resolve("cmdline"), "console=ttyAMA0 root=/dev/ram0 fleetkit.slot=" + slot.name() + "\n");
        Files.writeString(dir.resolve("boot_id"), UUID.randomUUID() + "\n");
        String version = SlotVersions.read(disk).get(slot.name());
        if (version == null) {
            throw new IllegalStateException(id + ": slot " + slot + " holds no slot.json; the board would not boot it");
        }
        settings.put("version", version);
        settings.put("versionNumber", Long.toString(VersionNumber.of(version)));
        running = slot;
        FleetAgent a = new FleetAgent(AgentConfig.parse(settings, id), Clock.systemUTC(), this::rebootRequested, this::record);
        agent = a;
        a.start();
    }

    /** Cuts the power: the agent stops at once, without a word to the broker. */
    synchronized void powerCut() {
        FleetAgent a = agent;
        agent = null;
        if (a != null) {
            a.powerCut();
        }
    }

    private void rebootRequested(RebootKind kind) {
        reboots.incrementAndGet();
        // Called on the agent's own thread: cycle the power from the device's thread instead.
        power.execute(() -> {
            try {
                powerCut();
                powerOn();
            } catch (Throwable e) {
                powerFailure = e;
                record(new Event.Log("power", Event.Level.WARN, "power cycle failed: " + e));
            }
        });
    }

    private void record(Event e) {
        synchronized (log) {
            String text = e.toString();
            if (text.equals(lastText)) {
                repeats++;
                return;
            }
            if (repeats > 0) {
                append("  (the line above " + repeats + " times more)");
            }
            lastText = text;
            repeats = 0;
            append(java.time.LocalTime.now() + " " + text);
        }
    }

    private void append(String line) {
        try {
            Files.writeString(dir.resolve("agent.log"), line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException ignored) {
            // the in-memory tail is enough for failure messages
        }
        log.addLast(line);
        if (log.size() > 40) {
            log.removeFirst();
        }
    }

    /** The device's last log lines, repeats folded, for failure messages (all of them are in {@code agent.log} in its directory). */
    String recentLog() {
        synchronized (log) {
            return id + " (" + dir + "):\n  " + String.join("\n  ", log) + (repeats > 0 ? "\n  (the line above " + repeats + " times more)" : "");
        }
    }

    FatFileInPlace bootPartition() throws IOException {
        return new FatFileInPlace(disk, MbrReader.read(disk).require(1, "boot").startByte());
    }

    Optional<AgentState> state() {
        try {
            return new AgentStateStore(dir.resolve("data")).load();
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // mid-write on another thread: ask again
        }
    }

    BootState bootState() throws IOException {
        return new ScriptBootState(bootPartition()).read().state();
    }

    Map<String, String> slotVersions() {
        return SlotVersions.read(disk);
    }

    Slot runningSlot() {
        return running;
    }

    int reboots() {
        return reboots.get();
    }

    void rethrowPowerFailure() {
        if (powerFailure != null) {
            throw new AssertionError(id + ": a simulated power cycle failed", powerFailure);
        }
    }

    @Override
    public void close() {
        closed = true;
        power.shutdownNow();
        try {
            power.awaitTermination(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        powerCut();
    }
}
