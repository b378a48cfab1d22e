package io.fleetkit.ota.mqtt;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.testsupport.Mosquitto;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A broker that stops answering or dies: the listener hears the loss, unacknowledged publishes fail, nothing reconnects. */
class ConnectionLossTest {

    @TempDir
    Path dir;

    @Test
    void brokerDeathFailsUnacknowledgedPublishesAndReportsTheLoss() throws Exception {
        try (Mosquitto broker = Mosquitto.start(dir)) {
            Inbox inbox = new Inbox();
            MqttConnection c = MqttConnection.open(MqttOptions.of(broker.url(), "dev1"), inbox);
            broker.pause();
            CompletableFuture<Void> sent = c.publish("events/dev1", "seq 7".getBytes(StandardCharsets.UTF_8), 1, false);
            assertFalse(sent.isDone(), "a stopped broker cannot have acknowledged the publish");
            broker.kill();
            ExecutionException e = assertThrows(ExecutionException.class, () -> sent.get(60, TimeUnit.SECONDS));
            assertInstanceOf(MqttException.class, e.getCause());
            inbox.lost.get(60, TimeUnit.SECONDS);
            assertFalse(c.isConnected());
            assertThrows(IOException.class, () -> c.publish("events/dev1", new byte[1], 1, false));
        }
    }

    @Test
    void silentBrokerIsDeclaredLostAfterOneAndAHalfKeepAlives() throws Exception {
        try (Mosquitto broker = Mosquitto.start(dir)) {
            Inbox inbox = new Inbox();
            MqttConnection c = MqttConnection.open(MqttOptions.of(broker.url(), "dev1").withKeepAlive(1), inbox);
            broker.pause(); // the socket stays open, nothing answers the pings
            IOException cause = inbox.lost.get(60, TimeUnit.SECONDS);
            assertTrue(cause.getMessage().contains("1.5 x keep-alive"), cause.getMessage());
            assertFalse(c.isConnected());
            broker.resume();
        }
    }
}
