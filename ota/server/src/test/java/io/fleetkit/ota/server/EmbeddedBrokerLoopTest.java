package io.fleetkit.ota.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.fleetkit.events.Event;
import io.fleetkit.events.EventSink;
import io.fleetkit.keys.FleetKeys;
import io.fleetkit.ota.protocol.Topics;
import io.fleetkit.ota.server.broker.EmbeddedBroker;
import io.fleetkit.ota.server.db.DeviceStore;
import io.fleetkit.testsupport.Await;
import io.fleetkit.testsupport.Mosquitto;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Moquette 0.17 ends a session loop for good when a command throws (seen when a PUBACK races a
 * disconnect); every client routed to that loop is cut off from then on. The server notices and
 * restarts the embedded broker. Here the loop of the server's own client is ended, the worst case:
 * a server that hears nobody.
 */
class EmbeddedBrokerLoopTest {

    @TempDir
    Path tmp;

    @Test
    @SuppressWarnings("removal") // Thread.stop ends the loop as its own exception would; JDK 17 still has it
    void aSessionLoopThatEndsIsNoticedAndTheBrokerRestartedSoItsClientsAreHeardAgain() throws Exception {
        FleetKeys keys = TestFleet.keys(tmp);
        List<String> warnings = new CopyOnWriteArrayList<>();
        EventSink sink = e -> {
            if (e instanceof Event.Log l && l.level() == Event.Level.WARN) {
                warnings.add(l.message());
            }
        };
        FleetServerConfig config = FleetServerConfig.defaults(tmp.resolve("data")).withKeyDir(tmp.resolve("keys"))
                .withListen("127.0.0.1", Mosquitto.freePort()).withTickInterval(Duration.ofMillis(100));
        try (FleetServer server = FleetServer.start(config, sink)) {
            EmbeddedBroker broker = server.embeddedBroker().orElseThrow();
            assertEquals(Runtime.getRuntime().availableProcessors(), broker.watchedLoops(), "every session loop is watched");

            Thread loop = broker.sessionLoopOf(config.clientId());
            String device = routedLike(broker, loop);
            loop.stop();
            loop.join(5000);
            assertFalse(loop.isAlive());

            Await.until("a warning that " + loop.getName() + " ended and the broker restarted", Duration.ofSeconds(15),
                    () -> warnings.stream().anyMatch(w -> w.contains(loop.getName()) && w.contains("restarted")));
            try (SimDevice d = new SimDevice(server.deviceBrokerUrl(), Topics.DEFAULT, device, TestFleet.BOARD, "1.0.0",
                    keys.signingKey().publicKey(), null, false)) {
                d.connect();
                Await.until("the server hears " + device + ", whose client id is routed to the loop that ended", Duration.ofSeconds(30),
                        () -> server.database().transaction(c -> new DeviceStore().find(c, device)).isPresent());
            }
        }
    }

    /** A device id whose client Moquette routes to {@code loop}. */
    private static String routedLike(EmbeddedBroker broker, Thread loop) {
        for (int i = 0; ; i++) {
            String id = "gw-" + i;
            if (broker.sessionLoopOf(id) == loop) {
                return id;
            }
        }
    }
}
