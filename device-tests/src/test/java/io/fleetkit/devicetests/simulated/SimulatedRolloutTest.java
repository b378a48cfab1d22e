package io.fleetkit.devicetests.simulated;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fleetkit.formats.bootstate.BootState;
import io.fleetkit.formats.bootstate.Slot;
import io.fleetkit.ota.protocol.UpdateState;
import io.fleetkit.ota.server.FleetClient;
import io.fleetkit.ota.server.FleetServer;
import io.fleetkit.ota.server.db.DeviceRecord;
import io.fleetkit.ota.server.rollout.Rollout;
import io.fleetkit.ota.server.rollout.RolloutRequest;
import io.fleetkit.ota.server.rollout.RolloutState;
import io.fleetkit.ota.server.rollout.RolloutStatus;
import io.fleetkit.testsupport.Await;
import io.fleetkit.testsupport.Mosquitto;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** v2 across a fleet of real agents on file-backed disks, in the default phases, through each kind of broker. */
class SimulatedRolloutTest {

    static final Duration ROLLOUT_BOUND = Duration.ofSeconds(150);

    @TempDir
    Path dir;

    @Test
    void fiftyDevicesCommitV2ThroughTheEmbeddedBroker() throws Exception {
        try (OtaFixture f = new OtaFixture(dir)) {
            FleetServer server = f.startServer(f.serverConfig());
            rollOutAndCheck(f, server, 50, server.deviceBrokerUrl());
        }
    }

    @Test
    void fiftyDevicesCommitV2ThroughARealMosquitto() throws Exception {
        try (OtaFixture f = new OtaFixture(dir)) {
            Mosquitto mosquitto = f.keep(Mosquitto.start(dir.resolve("mosquitto")));
            FleetServer server = f.startServer(f.serverConfig().withBrokerUrl(mosquitto.url()));
            rollOutAndCheck(f, server, 50, mosquitto.url());
        }
    }

    private static void rollOutAndCheck(OtaFixture f, FleetServer server, int n, String brokerUrl) throws Exception {
        server.bundles().publish(f.v2Bundle, Optional.empty());
        SimulatedFleet fleet = f.fleet(n, brokerUrl, (i, d) -> { });
        FleetClient client = f.client();
        Await.until(n + " devices reporting 1.0.0", Duration.ofSeconds(60), () -> OtaFixture.count(client.devices(), "1.0.0") == n);

        Rollout r = client.createRollout(RolloutRequest.of("2.0.0"));
        Await.until("rollout FINISHED and every agent COMMITTED", ROLLOUT_BOUND,
                () -> client.status(r.id()).rollout().state() == RolloutState.FINISHED
                        && fleet.all(d -> SimulatedFleet.inState(d, UpdateState.COMMITTED)),
                () -> OtaFixture.summary(uncheckedStatus(client, r.id())) + "\n" + fleet.describe(UpdateState.COMMITTED) + "\n" + BrokerThreads.describe());

        RolloutStatus status = client.status(r.id());
        assertEquals(4, status.rollout().phaseCount(), "default phases 1, 10%, 50%, 100%");
        assertEquals(List.of(1, 4, 20, 25), status.phases().stream().map(p -> p.total()).toList());
        assertEquals(n, status.totals().succeeded());
        for (SimulatedDevice d : fleet.devices) {
            assertEquals(Slot.B, d.runningSlot(), d.id);
            assertEquals(Map.of("A", "1.0.0", "B", "2.0.0"), d.slotVersions(), d.id);
            BootState boot = d.bootState();
            assertEquals(Slot.B, boot.active(), d.id + " committed B in the boot state");
            assertEquals(null, boot.trial(), d.id);
            assertEquals(1, d.reboots(), d.id + " rebooted once, into the trial");
            assertEquals("2.0.0", d.state().orElseThrow().targetVersion(), d.id);
        }
        Await.until("`fleet devices` showing 2.0.0 committed on slot B everywhere", Duration.ofSeconds(30),
                () -> client.devices().stream().filter(SimulatedRolloutTest::onV2).count() == n,
                () -> uncheckedDevices(client).stream().filter(d -> !onV2(d)).limit(5).toList().toString());
    }

    static boolean onV2(DeviceRecord d) {
        return "2.0.0".equals(d.version()) && "B".equals(d.slot()) && d.updateState() == UpdateState.COMMITTED
                && "2.0.0".equals(d.slotVersions().get("B")) && "1.0.0".equals(d.slotVersions().get("A"));
    }

    static RolloutStatus uncheckedStatus(FleetClient c, String id) {
        try {
            return c.status(id);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static List<DeviceRecord> uncheckedDevices(FleetClient c) {
        try {
            return c.devices();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
