package io.fleetkit.devicetests.simulated;

import io.fleetkit.ota.agent.AgentState;
import io.fleetkit.ota.protocol.UpdateState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** Many {@link SimulatedDevice}s, made and powered on in parallel (a Paho connect takes a few hundred ms). */
final class SimulatedFleet implements AutoCloseable {

    final List<SimulatedDevice> devices;

    private SimulatedFleet(List<SimulatedDevice> devices) {
        this.devices = devices;
    }

    /** {@code n} devices {@code sim-000}... on v1, each tweaked by {@code tweak} (by index) before the first power-on. */
    static SimulatedFleet start(Path dir, int n, byte[] slotA, Path signingPub, String brokerUrl, Tweak tweak) throws Exception {
        return start(dir, n, slotA, signingPub, brokerUrl, DeviceDisk.small(), tweak);
    }

    static SimulatedFleet start(Path dir, int n, byte[] slotA, Path signingPub, String brokerUrl, DeviceDisk layout, Tweak tweak)
            throws Exception {
        List<SimulatedDevice> ds = new ArrayList<>();
        SimulatedFleet fleet = new SimulatedFleet(ds);
        try {
            for (int i = 0; i < n; i++) {
                String id = String.format("sim-%03d", i);
                SimulatedDevice d = new SimulatedDevice(dir.resolve(id), id, slotA, signingPub, brokerUrl, layout);
                tweak.apply(i, d);
                ds.add(d);
            }
            fleet.each(SimulatedDevice::powerOn);
            return fleet;
        } catch (Exception | Error e) {
            fleet.close();
            throw e;
        }
    }

    static SimulatedFleet start(Path dir, int n, byte[] slotA, Path signingPub, String brokerUrl) throws Exception {
        return start(dir, n, slotA, signingPub, brokerUrl, (i, d) -> { });
    }

    @FunctionalInterface
    interface Tweak {
        void apply(int index, SimulatedDevice device);
    }

    @FunctionalInterface
    interface DeviceAction {
        void run(SimulatedDevice d) throws Exception;
    }

    /** Runs {@code action} on every device, 32 at a time; the first failure is thrown. */
    void each(DeviceAction action) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (SimulatedDevice d : devices) {
                fs.add(pool.submit(() -> {
                    action.run(d);
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    SimulatedDevice get(String id) {
        return devices.stream().filter(d -> d.id.equals(id)).findFirst().orElseThrow();
    }

    boolean all(Predicate<SimulatedDevice> p) {
        devices.forEach(SimulatedDevice::rethrowPowerFailure);
        return devices.stream().allMatch(p);
    }

    static boolean inState(SimulatedDevice d, UpdateState s) {
        return d.state().map(AgentState::state).orElse(null) == s;
    }

    /** Each device's update state, and the log of a few that are not {@code expected}. */
    String describe(UpdateState expected) {
        String states = devices.stream().collect(Collectors.groupingBy(
                d -> String.valueOf(d.state().map(AgentState::state).orElse(null)), java.util.TreeMap::new, Collectors.counting())).toString();
        String stuck = devices.stream().filter(d -> !inState(d, expected)).limit(3).map(SimulatedDevice::recentLog)
                .collect(Collectors.joining("\n"));
        return "device states " + states + "\n" + stuck;
    }

    @Override
    public void close() {
        devices.parallelStream().forEach(SimulatedDevice::close);
    }
}
