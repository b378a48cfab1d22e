package io.fleetkit.devicetests.simulated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.formats.bootstate.Slot;
import io.fleetkit.ota.agent.AgentState;
import io.fleetkit.ota.protocol.UpdateState;
import io.fleetkit.ota.server.FleetClient;
import io.fleetkit.ota.server.FleetServer;
import io.fleetkit.ota.server.LocalFleetClient;
import io.fleetkit.ota.server.rollout.Rollout;
import io.fleetkit.ota.server.rollout.RolloutRequest;
import io.fleetkit.ota.server.rollout.RolloutState;
import io.fleetkit.testsupport.Await;
import io.fleetkit.testsupport.Mosquitto;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/** The broker or the whole server goes away in the middle of an update; the fleet carries on. */
class SimulatedRestartTest {

    // kept when a test fails: each device's agent.log tells what happened
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    /** The embedded broker lives and dies with the server: the server restarts, over TLS, on the same port. */
    @Test
    void anEmbeddedServerRestartMidDownloadResumesWithoutFetchingVerifiedChunksAgain() throws Exception {
        // 4 KiB chunks: ~480 of them, so the download is still running when the broker goes
        try (OtaFixture f = new OtaFixture(dir, 4096)) {
            FleetServer server = f.startServer(f.serverConfig());
            restartMidDownload(f, server, server.deviceBrokerUrl(), () -> {
                f.stop(server);
                f.startServer(f.serverConfig());
            });
        }
    }

    @Test
    void aMosquittoRestartMidDownloadResumesWithoutFetchingVerifiedChunksAgain() throws Exception {
        try (OtaFixture f = new OtaFixture(dir, 4096)) {
            Mosquitto mosquitto = f.keepUntilLast(Mosquitto.start(dir.resolve("mosquitto")));
            FleetServer server = f.startServer(f.serverConfig().withBrokerUrl(mosquitto.url()));
            restartMidDownload(f, server, mosquitto.url(), mosquitto::restart);
        }
    }

    @FunctionalInterface
    interface BrokerRestart {
        void run() throws Exception;
    }

    private static void restartMidDownload(OtaFixture f, FleetServer server, String url, BrokerRestart restart) throws Exception {
        try (ChunkRequestLog witness = new ChunkRequestLog()) {
            int chunks = server.bundles().publish(f.v2Bundle, Optional.empty()).chunks();
            witness.connect(url, url.startsWith("ssl://") ? f.witnessSockets() : null);
            // A checkpoint per chunk: the small bundle would otherwise record nothing durable before the restart. Every chunk
            // downloaded (no delta: the FAT's empty blocks would be copied from slot A), so the witness sees the whole resume.
            int window = 8;
            SimulatedFleet fleet = f.fleet(1, url, (i, d) -> d.set("download.syncBytes", "4096").set("download.window", Integer.toString(window))
                    .set("download.delta", "false"));
            SimulatedDevice device = fleet.devices.get(0);
            FleetClient client = f.client();
            Await.until("the device reporting", Duration.ofSeconds(60), () -> OtaFixture.count(client.devices(), "1.0.0") == 1);

            Rollout r = client.createRollout(RolloutRequest.of("2.0.0"));
            Await.until("40 chunks requested", Duration.ofSeconds(60), () -> witness.of(device.id).size() >= 40);
            // read before the cut: the embedded broker is back, and the agent fetching again, before restart.run() returns
            int verified = device.state().orElseThrow().chunksDone();
            restart.run();
            List<Integer> before = witness.of(device.id);
            // the witness is usually back before the agent, whose first reconnect waits a second; see "unseen" below
            witness.connect(url, url.startsWith("ssl://") ? f.witnessSockets() : null);
            assertTrue(verified > 0 && verified < chunks, "the broker went mid-download: " + verified + " of " + chunks + " written");

            Await.until("rollout FINISHED, device COMMITTED", Duration.ofSeconds(90),
                    () -> client.status(r.id()).rollout().state() == RolloutState.FINISHED
                            && SimulatedFleet.inState(device, UpdateState.COMMITTED),
                    () -> OtaFixture.summary(SimulatedRolloutTest.uncheckedStatus(client, r.id())) + "\n" + device.recentLog()
                            + "\n" + BrokerThreads.describe());
            List<Integer> all = witness.of(device.id);
            List<Integer> after = all.subList(before.size(), all.size());
            assertTrue(after.stream().allMatch(i -> i >= verified),
                    "after the restart no chunk below " + verified + " (verified and written) is asked for again: " + after);
            // The witness cannot see requests made between the broker's return and its own resubscription (the embedded
            // broker keeps no sessions over a restart, and the agent may reconnect first): those are the only chunks it
            // may miss, all at or above the verified point and below the first request it saw after the restart.
            int firstSeenAfter = after.stream().mapToInt(Integer::intValue).min().orElse(chunks);
            List<Integer> unseen = IntStream.range(0, chunks).boxed().filter(i -> !all.contains(i)).toList();
            assertTrue(unseen.stream().allMatch(i -> i >= verified && i < firstSeenAfter),
                    "every chunk fetched, apart from those asked for while the witness reconnected (from " + verified + " to "
                            + firstSeenAfter + "): unseen " + unseen);
            // Asked for both before and after the restart: only what was in flight at the cut. (Repeats within
            // one side are chunk-request timeouts of a loaded machine, not the restart's doing.)
            Set<Integer> askedAgain = new TreeSet<>(after);
            askedAgain.retainAll(new HashSet<>(before));
            assertTrue(askedAgain.size() <= window && askedAgain.stream().allMatch(i -> i >= verified),
                    "only chunks in flight at the cut (window " + window + ", from chunk " + verified + ") are asked for again: " + askedAgain);
            assertEquals(Slot.B, device.runningSlot());
        }
    }

    /** With an external broker, as a fleet that outgrows one machine runs: only the server restarts. */
    @Test
    void aServerRestartMidRolloutCarriesOnToTheEnd() throws Exception {
        try (OtaFixture f = new OtaFixture(dir)) {
            Mosquitto mosquitto = f.keepUntilLast(Mosquitto.start(dir.resolve("mosquitto")));
            FleetServer first = f.startServer(f.serverConfig().withBrokerUrl(mosquitto.url()));
            first.bundles().publish(f.v2Bundle, Optional.empty());
            SimulatedFleet fleet = f.fleet(10, mosquitto.url(), (i, d) -> { });
            Await.until("10 devices reporting", Duration.ofSeconds(60), () -> OtaFixture.count(devices(f), "1.0.0") == 10);
            Rollout r = first.rollouts().create(RolloutRequest.of("2.0.0"));
            Await.until("phase 2 started", Duration.ofSeconds(60), () -> first.rollouts().status(r.id()).rollout().currentPhase() == 1,
                    () -> fleet.describe(UpdateState.COMMITTED) + "\n" + BrokerThreads.describe());
            f.stop(first);
            try (FleetClient offline = LocalFleetClient.open(f.serverConfig().dataDir(), null, f.keyDir, java.time.Clock.systemUTC(),
                    io.fleetkit.events.EventSink.NONE)) {
                assertEquals(RolloutState.RUNNING, offline.status(r.id()).rollout().state(), "stopped mid-rollout");
                assertTrue(offline.status(r.id()).totals().succeeded() < 10);
            }

            FleetServer second = f.startServer(f.serverConfig().withBrokerUrl(mosquitto.url()));
            Await.until("the rollout FINISHED by the new server, every agent COMMITTED", Duration.ofSeconds(120),
                    () -> second.rollouts().status(r.id()).rollout().state() == RolloutState.FINISHED
                            && fleet.all(d -> SimulatedFleet.inState(d, UpdateState.COMMITTED)),
                    () -> uncheckedStatus(second, r.id()) + "\n" + fleet.describe(UpdateState.COMMITTED) + "\n" + BrokerThreads.describe());
            assertEquals(10, second.rollouts().status(r.id()).totals().succeeded());
            for (SimulatedDevice d : fleet.devices) {
                assertEquals(Slot.B, d.runningSlot(), d.id);
                assertEquals(1, d.reboots(), d.id + " updated once");
                AgentState s = d.state().orElseThrow();
                assertEquals("2.0.0", s.targetVersion(), d.id);
            }
            Await.until("`fleet devices` showing v2 everywhere", Duration.ofSeconds(30),
                    () -> devices(f).stream().filter(SimulatedRolloutTest::onV2).count() == 10);
            // No event lost across the restart: each left its agent's outbox only when a server had applied it.
            Await.until("every agent's outbox empty: every event acknowledged by a server", Duration.ofSeconds(60),
                    () -> fleet.all(d -> d.state().map(s -> s.outbox().isEmpty()).orElse(false)),
                    () -> fleet.devices.stream().map(d -> d.id + " " + d.state().map(s -> s.outbox().toString()).orElse("?")).toList().toString());
            for (SimulatedDevice d : fleet.devices) {
                long sent = d.state().orElseThrow().eventSeq();
                List<Long> stored = second.database().transaction(c -> new io.fleetkit.ota.server.db.EventStore().forDevice(c, d.id, 1000))
                        .stream().map(e -> e.seq()).toList();
                assertEquals(java.util.stream.LongStream.rangeClosed(1, sent).boxed().toList(), stored, d.id + ": every event stored");
            }
        }
    }

    private static List<io.fleetkit.ota.server.db.DeviceRecord> devices(OtaFixture f) throws Exception {
        try (FleetClient c = LocalFleetClient.open(f.serverConfig().dataDir(), null, f.keyDir, java.time.Clock.systemUTC(),
                io.fleetkit.events.EventSink.NONE)) {
            return c.devices();
        }
    }

    private static String uncheckedStatus(FleetServer s, String id) {
        try {
            return OtaFixture.summary(s.rollouts().status(id));
        } catch (Exception e) {
            return e.toString();
        }
    }
}
