package io.fleetkit.devicetests;

import io.fleetkit.ota.server.db.DeviceRecord;
import io.fleetkit.ota.server.rollout.RolloutState;
import io.fleetkit.ota.server.rollout.RolloutStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Several emulated boards of one image at once, each on its own disk copy (so each makes its own
 * machine id on first boot), and the fleet server they report to. Public for scenarios in other
 * packages that mix them with simulated devices.
 */
public final class EmulatedFleet implements AutoCloseable {

    public static final int PORT = FleetRig.PORT;

    private final FleetRig rig;
    private final String board;
    private final List<EmulatedDevice> devices = new ArrayList<>();

    private EmulatedFleet(FleetRig rig, String board) {
        this.rig = rig;
        this.board = board;
    }

    public static Path workDir(String name) throws java.io.IOException {
        return Files.createDirectories(TestBuilds.ROOT.resolve("work").resolve(name));
    }

    /** The fleet keys every test image trusts. */
    public static Path keys() {
        return TestBuilds.keys();
    }

    /**
     * Starts the server, then {@code n} boards from copies of {@code image}, all powered on at once. Each has one
     * virtual CPU: under TCG every virtual CPU is a host thread, and ten boards on two host cores boot sooner so.
     */
    public static EmulatedFleet start(String name, String board, Path image, int n, int memoryMiB) throws Exception {
        EmulatedFleet fleet = new EmulatedFleet(FleetRig.start(name, TestBuilds.keys()), board);
        try {
            for (int i = 0; i < n; i++) {
                // each board with its own identity from `fleet flash`: the examples dial the server with TLS
                String id = String.format("%s-%02d", name, i);
                EmulatedDevice d = new EmulatedDevice(id, board, FlashedDisks.flash(image, id), memoryMiB, 1);
                fleet.devices.add(d);
                d.powerOn();
            }
            return fleet;
        } catch (Exception | Error e) {
            fleet.close();
            throw e;
        }
    }

    /** Waits until every board printed its ready line and reported {@code version} online; returns their ids. */
    public List<String> awaitAllOnline(String version, Duration timeout) throws Exception {
        for (EmulatedDevice d : devices) {
            d.vm().expect("^fleetkit: ready .* " + java.util.regex.Pattern.quote(version) + " slot=", 0, timeout);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> ids = devices().stream().filter(d -> board.equals(d.board()) && d.online() && version.equals(d.version()))
                    .map(DeviceRecord::id).toList();
            if (ids.size() >= devices.size()) {
                return ids;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(ids.size() + " of " + devices.size() + " boards online with " + version + ": " + devices());
            }
            Thread.sleep(1000);
        }
    }

    public void publish(Path bundle) throws Exception {
        rig.ok("publish", bundle.toString());
    }

    /** `fleet rollout VERSION --phases PHASES`, then waits until it is no longer running (finished, paused or aborted). */
    public RolloutStatus rollOut(String version, String phases, Duration timeout) throws Exception {
        rig.ok("rollout", version, "--phases", phases, "--timeout", "40m");
        RolloutStatus s = rig.awaitRollout("finished or paused", r -> r.rollout().state() != RolloutState.RUNNING
                && r.rollout().state() != RolloutState.CREATED, timeout);
        rig.ok("rollout", "status");
        return s;
    }

    public List<DeviceRecord> devices() throws Exception {
        return rig.devices();
    }

    /** Every board's console has (or soon prints) a line matching {@code regex}. */
    public void expectEveryConsole(String regex, Duration timeout) throws InterruptedException {
        for (EmulatedDevice d : devices) {
            d.vm().expect(regex, 0, timeout);
        }
    }

    @Override
    public void close() throws Exception {
        for (EmulatedDevice d : devices) {
            d.close();
        }
        rig.close();
    }
}
