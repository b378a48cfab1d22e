package io.fleetkit.devicetests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.build.BuildResult;
import io.fleetkit.build.OutputFormat;
import io.fleetkit.ota.protocol.UpdateState;
import io.fleetkit.ota.server.db.EventRecord;
import io.fleetkit.ota.server.rollout.DeviceRolloutState;
import io.fleetkit.ota.server.rollout.RolloutState;
import io.fleetkit.ota.server.rollout.RolloutStatus;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Scenario 2: a version whose health check fails is tried in the other slot, rolled back by the agent, and the rollout pauses. */
class HealthRollbackTest {

    private static final Duration BOOT = LifecycleScenario.BOOT;
    private static final Duration UPDATE = LifecycleScenario.UPDATE;

    @Test
    void deviceTriesUnhealthyVersionInSlotBReturnsToItsVersionInSlotAAndTheRolloutPausesWithTheReason() throws Exception {
        BuildResult v2 = SpecVariants.version("qemu-arm64", "2.0.0");
        BuildResult v3 = SpecVariants.failingHealth("qemu-arm64", "3.0.0");
        String id = "gw-unhealthy";
        try (FleetRig fleet = FleetRig.start(id, TestBuilds.keys());
             EmulatedDevice device = new EmulatedDevice(id, "qemu-arm64", FlashedDisks.flash(v2.path(OutputFormat.IMG), id), 0)) {
            Emulator vm = device.powerOn();
            vm.expect("^fleetkit: ready gateway 2\\.0\\.0 slot=A$", BOOT);
            fleet.awaitDevice(id, "online with 2.0.0", d -> d.online() && "2.0.0".equals(d.version()), BOOT);

            fleet.ok("publish", v3.path(OutputFormat.BUNDLE).toString());
            int before = vm.lineCount();
            fleet.ok("rollout", "3.0.0", "--phases", "100%", "--max-failures", "50%");
            int rebooting = vm.expect("^fleet-agent: INFO REBOOTING", before, UPDATE);
            int trial = vm.expect("^fleetkit: trial boot of slot B", rebooting, BOOT);
            int ready3 = vm.expect("^fleetkit: ready gateway 3\\.0\\.0 slot=B$", trial, BOOT);
            int rolledBack = vm.expect("^fleet-agent: .*ROLLED_BACK|^fleet-agent: WARN health", ready3, UPDATE);
            int back = vm.expect("^fleetkit: boot state seq=\\d+ active=A trial=none", rolledBack, BOOT);
            vm.expect("^fleetkit: ready gateway 2\\.0\\.0 slot=A$", back, BOOT);

            var d = fleet.awaitDevice(id, "back on 2.0.0 in slot A, rolled back", r -> "2.0.0".equals(r.version()) && "A".equals(r.slot())
                    && r.updateState() == UpdateState.ROLLED_BACK, UPDATE);
            assertEquals("3.0.0", d.updateTarget());
            EventRecord event = fleet.awaitEvent(id, "ROLLED_BACK", e -> e.state() == UpdateState.ROLLED_BACK, UPDATE);
            assertTrue(event.reason() != null && event.reason().startsWith("health."), "reason names the health check: " + event);
            RolloutStatus status = fleet.awaitRollout("paused", s -> s.rollout().state() == RolloutState.PAUSED, Duration.ofSeconds(60));
            assertEquals(DeviceRolloutState.FAILED, status.devices().get(0).state(), status.toString());

            String shown = fleet.ok("device", "show", id).out();
            assertTrue(shown.contains("ROLLED_BACK") && shown.contains(event.reason()), "fleet device show tells why:\n" + shown);
            String rollout = fleet.ok("rollout", "status").out();
            assertTrue(rollout.contains("PAUSED"), "fleet rollout status says paused:\n" + rollout);
        }
    }
}
