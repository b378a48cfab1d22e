package io.fleetkit.devicetests.simulated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.build.BuildResult;
import io.fleetkit.build.OutputFormat;
import io.fleetkit.build.VersionNumber;
import io.fleetkit.devicetests.EmulatedFleet;
import io.fleetkit.devicetests.SpecVariants;
import io.fleetkit.keys.FleetKeys;
import io.fleetkit.formats.bootstate.Slot;
import io.fleetkit.ota.bundle.BundleRelease;
import io.fleetkit.ota.bundle.BundleWriter;
import io.fleetkit.ota.protocol.UpdateState;
import io.fleetkit.ota.server.db.DeviceRecord;
import io.fleetkit.ota.server.rollout.RolloutState;
import io.fleetkit.ota.server.rollout.RolloutStatus;
import io.fleetkit.testsupport.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scenario 7: ten emulated qemu-arm64 boards (each its own disk copy, so its own machine id) and
 * twenty simulated devices (the real agent on file-backed disks, board {@code sim-arm64} so they
 * take their own small bundle of the same version) in one rollout of 2.0.0, phases 10% then the
 * rest. Lives beside the simulated devices because it reuses them. Ten emulators on two cores are
 * slow, so the images have a ten-minute health deadline and the waits are long.
 */
@Tag("slow")
class TenEmulatedDevicesRolloutTest {

    private static final int EMULATED = 10;
    private static final int SIMULATED = 20;
    private static final String SIM_BOARD = "sim-arm64";

    @Test
    void tenEmulatedAndTwentySimulatedDevicesAllCommitOneRolloutInPhases() throws Exception {
        BuildResult v1 = SpecVariants.patient("qemu-arm64", "1.0.0");
        BuildResult v2 = SpecVariants.patient("qemu-arm64", "2.0.0");
        Path work = EmulatedFleet.workDir("ten-devices");
        Path keys = EmulatedFleet.keys();
        Path simV2 = simulatedBundle(work, keys, "2.0.0");
        byte[] simV1 = SlotImage.of("1.0.0", OtaFixture.KERNEL_BYTES, DeviceDisk.small().slotBytes());
        try (EmulatedFleet fleet = EmulatedFleet.start("ten-devices", "qemu-arm64", v1.path(OutputFormat.IMG), EMULATED, 640);
             SimulatedFleet sims = SimulatedFleet.start(work.resolve("sim"), SIMULATED, simV1, keys.resolve(FleetKeys.SIGNING_PUB),
                     "ssl://127.0.0.1:" + EmulatedFleet.PORT, (i, d) -> d.set("board", SIM_BOARD))) {
            List<String> emulatedIds = fleet.awaitAllOnline("1.0.0", Duration.ofMinutes(20));
            fleet.publish(v2.path(OutputFormat.BUNDLE));
            fleet.publish(simV2);
            long started = System.nanoTime();
            RolloutStatus status = fleet.rollOut("2.0.0", "10%,100%", Duration.ofMinutes(45));
            System.out.printf("rollout of 2.0.0 to %d emulated + %d simulated devices took %d s%n", EMULATED, SIMULATED,
                    (System.nanoTime() - started) / 1_000_000_000L);

            assertEquals(RolloutState.FINISHED, status.rollout().state(), status.toString());
            assertEquals(EMULATED + SIMULATED, status.totals().succeeded(), status.toString());
            assertEquals(List.of(3, 27), status.phases().stream().map(p -> p.total()).toList(), "10% of 30, then the rest");
            // A device counts as done on its COMMITTED event; its report follows on its own, and after a restart of
            // the embedded broker (logs/fleet-server-ten-devices.log says when) only once it has reconnected.
            Await.until("every device's report showing 2.0.0 on slot B", Duration.ofMinutes(2),
                    () -> fleet.devices().stream().allMatch(d -> "2.0.0".equals(d.version()) && "B".equals(d.slot())),
                    () -> notOnV2(fleet));
            for (DeviceRecord d : fleet.devices()) {
                boolean emulated = emulatedIds.contains(d.id());
                assertTrue(emulated || d.id().startsWith("sim-"), "only this test's devices: " + d.id());
                assertEquals("2.0.0", d.version(), d.toString());
                assertEquals("B", d.slot(), d.toString());
                assertTrue(d.updateState() == UpdateState.COMMITTED || d.updateState() == UpdateState.IDLE, d.toString());
            }
            fleet.expectEveryConsole("^fleetkit: ready gateway 2\\.0\\.0 slot=B$", Duration.ofMinutes(5));
            for (SimulatedDevice d : sims.devices) {
                assertEquals(Slot.B, d.runningSlot(), d.id);
                assertEquals(Map.of("A", "1.0.0", "B", "2.0.0"), d.slotVersions(), d.id);
            }
        }
    }

    private static String notOnV2(EmulatedFleet fleet) {
        try {
            return "not yet: " + fleet.devices().stream().filter(d -> !"2.0.0".equals(d.version()) || !"B".equals(d.slot())).toList();
        } catch (Exception e) {
            return "devices unreadable: " + e;
        }
    }

    /** The simulated devices' 2.0.0: a small slot image for their disks, signed with the test fleet's key. */
    private static Path simulatedBundle(Path work, Path keys, String version) throws Exception {
        Path slot = SlotImage.write(work.resolve("sim-slots").resolve(version + ".img"), version, OtaFixture.KERNEL_BYTES,
                DeviceDisk.small().slotBytes());
        BundleRelease release = BundleRelease.of("gateway", version, SIM_BOARD, VersionNumber.of(version),
                Instant.now().minusSeconds(60)).withChunkSize(OtaFixture.CHUNK);
        return BundleWriter.writeFile(release, slot, FleetKeys.load(keys).signingKey(), Files.createDirectories(work.resolve("sim-out")));
    }

}
