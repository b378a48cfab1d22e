package io.fleetkit.devicetests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.build.BuildResult;
import io.fleetkit.build.OutputFormat;
import io.fleetkit.json.JsonParser;
import io.fleetkit.ota.protocol.UpdateState;
import io.fleetkit.ota.server.db.DeviceRecord;
import io.fleetkit.ota.server.rollout.RolloutState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The whole life of one emulated device, shared by the arm64 and armhf tests: build v1 and v2,
 * flash v1 with an identity, boot, appear in `fleet devices`, publish and roll out v2, watch the
 * agent and U-Boot swap slots and commit, then cut power and find v2 still there.
 */
final class LifecycleScenario {

    static final Duration BOOT = Duration.ofSeconds(300);
    static final Duration UPDATE = Duration.ofSeconds(900);

    private LifecycleScenario() {
    }

    static void run(String example, String board, String imageName, String deviceId) throws Exception {
        BuildResult v1 = SpecVariants.v1(example);
        BuildResult v2 = SpecVariants.version(example, "2.0.0");
        Path disk = FlashedDisks.flash(v1.path(OutputFormat.IMG), deviceId);

        try (FleetRig fleet = FleetRig.start(deviceId, TestBuilds.keys());
             EmulatedDevice device = new EmulatedDevice(deviceId, board, disk, 0)) {
            Emulator vm = device.powerOn();
            vm.expect("^fleetkit: ready " + imageName + " 1\\.0\\.0 slot=A$", BOOT);
            fleet.awaitDevice(deviceId, "online with 1.0.0", d -> d.online() && "1.0.0".equals(d.version()), BOOT);
            Map<String, Object> listed = listed(fleet, deviceId);
            assertEquals("1.0.0", listed.get("version"));
            assertEquals("A", listed.get("slot"));
            assertEquals(board, listed.get("board"));

            fleet.ok("publish", v2.path(OutputFormat.BUNDLE).toString());
            int before = vm.lineCount();
            fleet.ok("rollout", "2.0.0", "--phases", "100%");
            int downloading = vm.expect("^fleet-agent: INFO DOWNLOADING", before, UPDATE);
            int installing = vm.expect("^fleet-agent: INFO INSTALLING", downloading, UPDATE);
            int rebooting = vm.expect("^fleet-agent: INFO REBOOTING", installing, UPDATE);
            int state = vm.expect("^fleetkit: boot state seq=\\d+ active=A trial=B tries=1", rebooting, BOOT);
            int trial = vm.expect("^fleetkit: trial boot of slot B", state, BOOT);
            int ready = vm.expect("^fleetkit: ready " + imageName + " 2\\.0\\.0 slot=B$", trial, BOOT);
            int trialState = vm.expect("^fleet-agent: INFO TRIAL", ready, BOOT);
            vm.expect("^fleet-agent: INFO COMMITTED", trialState, UPDATE);

            DeviceRecord d = fleet.awaitDevice(deviceId, "on 2.0.0 in slot B, committed", r -> "2.0.0".equals(r.version())
                    && "B".equals(r.slot()) && (r.updateState() == UpdateState.COMMITTED || r.updateState() == UpdateState.IDLE), UPDATE);
            assertEquals("1.0.0", d.slotVersions().get("A"), "slot A keeps the old system to fall back to: " + d.slotVersions());
            fleet.awaitRollout("finished", s -> s.rollout().state() == RolloutState.FINISHED, Duration.ofSeconds(60));
            listed = listed(fleet, deviceId);
            assertEquals("2.0.0", listed.get("version"));
            assertEquals("B", listed.get("slot"));

            // Power off without warning and on again: the committed slot B is what U-Boot boots now.
            device.cutPower();
            vm = device.powerOn();
            int committed = vm.expect("^fleetkit: boot state seq=\\d+ active=B", BOOT);
            vm.expect("^fleetkit: ready " + imageName + " 2\\.0\\.0 slot=B$", committed, BOOT);
            assertTrue(vm.lines().stream().noneMatch(l -> l.startsWith("fleetkit: trial boot")), "no trial after the commit");
            fleet.awaitDevice(deviceId, "back online with 2.0.0 on B after the power cut",
                    r -> r.online() && "2.0.0".equals(r.version()) && "B".equals(r.slot()), BOOT);
        }
    }

    /** The device as `fleet devices --json` lists it. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> listed(FleetRig fleet, String deviceId) throws Exception {
        FleetRig.CliResult r = fleet.ok("devices", "--json");
        List<Object> all = (List<Object>) JsonParser.parse(r.out(), 1 << 20);
        return all.stream().map(o -> (Map<String, Object>) o).filter(m -> deviceId.equals(m.get("id"))).findFirst()
                .orElseThrow(() -> new AssertionError("fleet devices does not list " + deviceId + ":\n" + r.out()));
    }
}
