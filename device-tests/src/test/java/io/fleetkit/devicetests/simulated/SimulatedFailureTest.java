package io.fleetkit.devicetests.simulated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.formats.bootstate.BootState;
import io.fleetkit.formats.bootstate.Slot;
import io.fleetkit.ota.agent.AgentState;
import io.fleetkit.ota.protocol.UpdateState;
import io.fleetkit.ota.server.FleetClient;
import io.fleetkit.ota.server.FleetServer;
import io.fleetkit.ota.server.db.DeviceRecord;
import io.fleetkit.ota.server.rollout.DeviceRolloutState;
import io.fleetkit.ota.server.rollout.PhasePlan;
import io.fleetkit.ota.server.rollout.Rollout;
import io.fleetkit.ota.server.rollout.RolloutDevice;
import io.fleetkit.ota.server.rollout.RolloutRequest;
import io.fleetkit.ota.server.rollout.RolloutState;
import io.fleetkit.ota.server.rollout.RolloutStatus;
import io.fleetkit.testsupport.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Devices whose v2 fails its health check roll back on their own, tell the server why, and stop the rollout. */
class SimulatedFailureTest {

    static final Set<String> FAILING = Set.of("sim-001", "sim-003");

    @TempDir
    Path dir;

    @Test
    void failingHealthChecksRollBackAndPauseTheRolloutOnceTheFailureSharePassesTheThreshold() throws Exception {
        try (OtaFixture f = new OtaFixture(dir)) {
            FleetServer server = f.startServer(f.serverConfig());
            server.bundles().publish(f.v2Bundle, Optional.empty());
            SimulatedFleet fleet = f.fleet(10, server.deviceBrokerUrl(), (i, d) -> {
                if (FAILING.contains(d.id)) {
                    d.failingHealthCheck(3);
                }
            });
            FleetClient client = f.client();
            Await.until("10 devices reporting", Duration.ofSeconds(60), () -> OtaFixture.count(client.devices(), "1.0.0") == 10);

            // phase 1 = sim-000..004; one failure of five is 20%, not more than the 20% allowed; the second is
            Rollout r = client.createRollout(RolloutRequest.of("2.0.0").withPhases(PhasePlan.parse("5,100%")).withMaxFailures(0.2));
            Await.until("rollout paused, failing devices back on slot A, the others of phase 1 committed", Duration.ofSeconds(120),
                    () -> client.status(r.id()).rollout().state() == RolloutState.PAUSED
                            && fleet.devices.stream().filter(d -> FAILING.contains(d.id)).allMatch(SimulatedFailureTest::rolledBack)
                            && Set.of("sim-000", "sim-002", "sim-004").stream().map(fleet::get)
                                    .allMatch(d -> SimulatedFleet.inState(d, UpdateState.COMMITTED)),
                    () -> OtaFixture.summary(SimulatedRolloutTest.uncheckedStatus(client, r.id())) + "\n"
                            + fleet.describe(UpdateState.COMMITTED) + "\n" + BrokerThreads.describe());

            RolloutStatus status = client.status(r.id());
            assertEquals(0, status.rollout().currentPhase());
            assertTrue(status.rollout().reason().contains("2 of 5 devices failed"), status.rollout().reason());
            Map<String, RolloutDevice> byId = status.devices().stream().collect(Collectors.toMap(RolloutDevice::deviceId, Function.identity()));
            for (String id : FAILING) {
                assertEquals(DeviceRolloutState.FAILED, byId.get(id).state(), id);
                assertEquals("ROLLED_BACK: health.check-failed", byId.get(id).reason(), id);
            }
            for (int i = 5; i < 10; i++) {
                String id = String.format("sim-%03d", i);
                assertEquals(DeviceRolloutState.PENDING, byId.get(id).state(), id + " is in the phase that never started");
                assertEquals(Optional.empty(), fleet.get(id).state().map(AgentState::state), id + " was never offered v2");
                assertEquals(0, fleet.get(id).reboots(), id);
            }

            for (String id : FAILING) {
                SimulatedDevice d = fleet.get(id);
                AgentState s = d.state().orElseThrow();
                assertEquals("health.check-failed", s.reason(), id);
                assertTrue(s.message().contains("check 'app' exited 3"), s.message());
                BootState boot = d.bootState();
                assertEquals(Slot.A, boot.active(), id);
                assertEquals(Slot.B, boot.failed(), id + " remembers the slot that failed");
                assertEquals(2, d.reboots(), id + ": into the trial, then back");
            }
            Await.until("the server's device records showing the rollback", Duration.ofSeconds(30), () -> client.devices().stream()
                    .filter(d -> FAILING.contains(d.id())).allMatch(SimulatedFailureTest::rolledBackRecord),
                    () -> SimulatedRolloutTest.uncheckedDevices(client).stream().filter(d -> FAILING.contains(d.id())).toList().toString());
        }
    }

    static boolean rolledBack(SimulatedDevice d) {
        return SimulatedFleet.inState(d, UpdateState.ROLLED_BACK) && d.runningSlot() == Slot.A && d.reboots() == 2;
    }

    static boolean rolledBackRecord(DeviceRecord d) {
        return "1.0.0".equals(d.version()) && "A".equals(d.slot()) && d.updateState() == UpdateState.ROLLED_BACK
                && "health.check-failed".equals(d.updateReason()) && "2.0.0".equals(d.updateTarget());
    }
}
