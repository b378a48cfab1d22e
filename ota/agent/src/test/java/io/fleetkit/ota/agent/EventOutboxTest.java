package io.fleetkit.ota.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fleetkit.ota.bundle.SigningKey;
import io.fleetkit.ota.protocol.UpdateEvent;
import io.fleetkit.ota.protocol.UpdateState;
import io.fleetkit.testsupport.Await;
import io.fleetkit.testsupport.Mosquitto;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent keeps an event in its saved outbox until the server says it applied it (docs/protocol.md): the broker's
 * PUBACK is not enough. The real agent on a file-backed device, a real Mosquitto, the server played by a raw client.
 */
class EventOutboxTest {

    private static final Duration BOUND = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void anEventLeavesTheOutboxOnlyWhenTheServerAcknowledgesIt() throws Exception {
        SigningKey key = TestSlots.newKey();
        SimulatedDevice device = new SimulatedDevice(dir.resolve("dev"), key, 2, "1.0.0");
        TestSlots.Bundle bundle = TestSlots.bundle(TestSlots.release("2.0.0", 2000000),
                TestSlots.slotImage(dir.resolve("v2"), "2.0.0", TestSlots.CHUNK * 4), key);
        try (Mosquitto broker = Mosquitto.start(dir);
             TestBundleServer server = new TestBundleServer(broker.url(), bundle)) {
            device.settings.put("broker.url", broker.url());
            device.settings.put("download.delta", "false"); // no download.delta note: one event in the outbox
            server.answers = i -> false; // the download stays where it is: one DOWNLOADING event
            server.desire("gw-00001", bundle.desired());
            device.powerOn();
            FleetAgent agent = device.agent(Clock.systemUTC());
            agent.start();
            Await.until("the DOWNLOADING event reached the server", BOUND, () -> sent(server, 1) >= 1);
            assertEquals(List.of(1L), outbox(device), "the broker took it, the server has not said it applied it");

            agent.powerCut();
            device.powerOn();
            agent = device.agent(Clock.systemUTC());
            agent.start();
            Await.until("the unacknowledged event sent again after the restart", BOUND, () -> sent(server, 1) >= 2);

            server.acknowledge("gw-00001", 99); // not an event it holds: nothing changes
            server.acknowledge("gw-00001", 1);
            Await.untilMatches("the acknowledged event gone from the saved outbox", BOUND, () -> outbox(device), List::isEmpty);
            agent.powerCut();
        }
    }

    private static long sent(TestBundleServer server, long seq) {
        return server.events.stream().filter(e -> e.seq() == seq && e.state() == UpdateState.DOWNLOADING).count();
    }

    private static List<Long> outbox(SimulatedDevice device) throws Exception {
        return device.store().load().orElseThrow().outbox().stream().map(UpdateEvent::seq).toList();
    }
}
