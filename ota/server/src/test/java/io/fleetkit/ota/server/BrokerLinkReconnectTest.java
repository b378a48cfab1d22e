package io.fleetkit.ota.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.events.EventSink;
import io.fleetkit.ota.mqtt.MqttOptions;
import io.fleetkit.ota.server.broker.BrokerLink;
import io.fleetkit.testsupport.Await;
import io.fleetkit.testsupport.Mosquitto;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's broker link outlives crashes of an external broker: a real Mosquitto is killed
 * (SIGKILL) and started again on the same port, several times in a row, and after each restart the
 * link is connected again, subscribed again (it hears a device) and can publish (a device hears it),
 * while it keeps sending chunks at full speed throughout, as the server does in a rollout.
 * Paho's own automatic reconnect hung for good in about one restart in ten (SimulatedRestartTest), and Paho's
 * connect thread could spin for good after a loss; the link now runs on ota-mqtt's own client.
 */
class BrokerLinkReconnectTest {

    @TempDir
    Path tmp;

    @Test
    void hearsAndReachesDevicesAfterEachOfSeveralBrokerCrashes() throws Exception {
        Mosquitto mosquitto = Mosquitto.start(tmp);
        ExecutorService worker = Executors.newSingleThreadExecutor();
        LinkedBlockingQueue<String> heard = new LinkedBlockingQueue<>();
        AtomicInteger reconnects = new AtomicInteger();
        BrokerLink link = BrokerLink.connect(MqttOptions.of(mosquitto.url(), "fleet-server-link-test").withCleanSession(false),
                List.of("devices/+/state"),
                new BrokerLink.Handler() {
                    @Override
                    public ExecutorService executorFor(String topic) {
                        return worker;
                    }

                    @Override
                    public void onMessage(String topic, byte[] payload) {
                        heard.add(topic + " " + new String(payload, StandardCharsets.UTF_8));
                    }

                    @Override
                    public void onConnected(boolean reconnect) {
                        if (reconnect) {
                            reconnects.incrementAndGet();
                        }
                    }
                }, io.fleetkit.ota.server.metrics.ServerCounters.NONE, EventSink.NONE);
        // The server is busy sending chunks when the broker dies, as in a rollout.
        Thread chunks = new Thread(() -> {
            byte[] chunk = new byte[64 << 10];
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    link.publish("devices/d0/chunks/data", chunk, false);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    // no connection right now: the protocol asks again
                }
            }
        }, "chunk-sender");
        chunks.setDaemon(true);
        chunks.start();
        try {
            for (int round = 1; round <= 5; round++) {
                Thread.sleep(300);
                mosquitto.restart();
                int expected = round;
                Await.until("the link reconnected after crash " + round, Duration.ofSeconds(30),
                        () -> reconnects.get() >= expected && link.isConnected());

                try (MqttClient device = device(mosquitto.url(), "device-" + round)) {
                    LinkedBlockingQueue<String> desired = new LinkedBlockingQueue<>();
                    device.subscribe("devices/d" + round + "/desired", 1, (t, m) -> desired.add(new String(m.getPayload(), StandardCharsets.UTF_8)));
                    device.publish("devices/d" + round + "/state", ("round " + round).getBytes(StandardCharsets.UTF_8), 1, false);
                    assertEquals("devices/d" + round + "/state round " + round, heard.poll(20, TimeUnit.SECONDS),
                            "the server hears a device after crash " + round);
                    link.publish("devices/d" + round + "/desired", ("v" + round).getBytes(StandardCharsets.UTF_8), false)
                            .get(10, TimeUnit.SECONDS);
                    assertEquals("v" + round, desired.poll(20, TimeUnit.SECONDS), "a device hears the server after crash " + round);
                    device.disconnect();
                }
            }
            assertTrue(heard.isEmpty(), "nothing heard twice: " + heard);
            chunks.interrupt();
            link.close();
            Await.untilMatches("no thread of the link left after close (they would keep the server's JVM alive)",
                    Duration.ofSeconds(10), () -> Thread.getAllStackTraces().entrySet().stream()
                            .filter(t -> t.getKey().isAlive() && t.getKey().getName().contains("fleet-server-link-test"))
                            .map(t -> t.getKey().getName() + " " + t.getKey().getState() + " at " + java.util.Arrays.toString(t.getValue()))
                            .toList(), List::isEmpty);
        } finally {
            chunks.interrupt();
            link.close();
            mosquitto.close();
            worker.shutdownNow();
        }
    }

    private static MqttClient device(String url, String id) throws Exception {
        MqttClient c = new MqttClient(url, id, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        c.connect(o);
        return c;
    }
}
