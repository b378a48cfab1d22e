package io.fleetkit.devicetests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.build.BuildResult;
import io.fleetkit.build.OutputFormat;
import io.fleetkit.ota.protocol.UpdateState;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Scenario 3: a slot whose init dies at once panics the kernel; U-Boot's attempt counter, not the agent, brings the old slot back. */
class BrokenSlotRollbackTest {

    private static final Duration BOOT = LifecycleScenario.BOOT;
    private static final Duration UPDATE = LifecycleScenario.UPDATE;

    @Test
    void kernelPanicInTheTrialSlotEndsInTheOldSlotThroughUBootAloneAndTheServerHearsRolledBack() throws Exception {
        BuildResult v2 = SpecVariants.version("qemu-arm64", "2.0.0");
        BuildResult v4 = SpecVariants.panickingInit("qemu-arm64", "4.0.0");
        String id = "gw-panic";
        try (FleetRig fleet = FleetRig.start(id, TestBuilds.keys());
             EmulatedDevice device = new EmulatedDevice(id, "qemu-arm64", FlashedDisks.flash(v2.path(OutputFormat.IMG), id), 0)) {
            Emulator vm = device.powerOn();
            vm.expect("^fleetkit: ready gateway 2\\.0\\.0 slot=A$", BOOT);
            fleet.awaitDevice(id, "online with 2.0.0", d -> d.online() && "2.0.0".equals(d.version()), BOOT);

            fleet.ok("publish", v4.path(OutputFormat.BUNDLE).toString());
            int before = vm.lineCount();
            fleet.ok("rollout", "4.0.0", "--phases", "100%", "--max-failures", "50%");
            int rebooting = vm.expect("^fleet-agent: INFO REBOOTING", before, UPDATE);
            int trial = vm.expect("^fleetkit: trial boot of slot B", rebooting, BOOT);
            int panic = vm.expect("Kernel panic - not syncing", trial, BOOT);
            assertTrue(vm.lines().subList(trial, panic).stream().noneMatch(l -> l.startsWith("fleetkit: ready")),
                    "slot B never came up");
            // qemu resets on the panic reboot, in the same process: U-Boot runs again on the same disk.
            int fallback = vm.expect("^fleetkit: slot B did not prove healthy; back to slot A$", panic, BOOT);
            vm.expect("^fleetkit: ready gateway 2\\.0\\.0 slot=A$", fallback, BOOT);

            var d = fleet.awaitDevice(id, "back on 2.0.0 in slot A, rolled back", r -> "2.0.0".equals(r.version())
                    && "A".equals(r.slot()) && r.updateState() == UpdateState.ROLLED_BACK, UPDATE);
            assertTrue("4.0.0".equals(d.updateTarget()), d.toString());
            fleet.awaitEvent(id, "ROLLED_BACK of 4.0.0", e -> e.state() == UpdateState.ROLLED_BACK && "4.0.0".equals(e.target()), UPDATE);
        }
    }
}
