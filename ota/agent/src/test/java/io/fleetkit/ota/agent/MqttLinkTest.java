package io.fleetkit.ota.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fleetkit.events.EventSink;
import io.fleetkit.ota.mqtt.MqttConnection;
import io.fleetkit.ota.mqtt.MqttListener;
import io.fleetkit.ota.mqtt.MqttOptions;
import io.fleetkit.ota.mqtt.Will;
import io.fleetkit.testsupport.Mosquitto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's link against a real Mosquitto that dies and comes back on the same port: it reconnects, subscribes again, and a cut leaves the will. */
class MqttLinkTest {

    @TempDir
    Path dir;

    private static <T> T take(BlockingQueue<T> q, String what) throws InterruptedException {
        T t = q.poll(60, TimeUnit.SECONDS);
        if (t == null) {
            throw new AssertionError("no " + what + " within 60 s");
        }
        return t;
    }

    @Test
    void reconnectsAndSubscribesAgainAfterTheBrokerRestartsAndACutLeavesTheWill() throws Exception {
        Mosquitto broker = Mosquitto.start(dir);
        String url = broker.url();
        ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
        try {
            BlockingQueue<String> connects = new LinkedBlockingQueue<>();
            BlockingQueue<String> messages = new LinkedBlockingQueue<>();
            AtomicInteger connectCount = new AtomicInteger();
            MqttLink link = new MqttLink(MqttOptions.of(url, "dev1").withWill(new Will("online/dev1", "offline".getBytes(StandardCharsets.UTF_8), 1, false)),
                    List.of("desired/dev1"), EventSink.NONE);
            link.start(new MqttLink.Listener() {
                @Override
                public void connected() {
                    connects.add("connect " + connectCount.incrementAndGet());
                }

                @Override
                public void message(String topic, byte[] payload) {
                    messages.add(topic + " " + new String(payload, StandardCharsets.UTF_8));
                }
            }, loop::execute);
            loop.scheduleWithFixedDelay(link::maintain, 200, 200, TimeUnit.MILLISECONDS); // as the agent's tick does

            assertEquals("connect 1", take(connects, "connect"));
            publish(url, "desired/dev1", "v2", true);
            assertEquals("desired/dev1 v2", take(messages, "message"));

            broker.restart(); // a new broker on the same port: no sessions, no subscriptions, no retained messages
            assertEquals("connect 2", take(connects, "reconnect"));
            publish(url, "desired/dev1", "v3", false);
            assertEquals("desired/dev1 v3", take(messages, "message after the reconnect"));

            BlockingQueue<String> watched = new LinkedBlockingQueue<>();
            try (MqttConnection watcher = MqttConnection.open(MqttOptions.of(url, "watcher"), new MqttListener() {
                @Override
                public void message(String topic, byte[] payload, boolean retained) {
                    watched.add(topic + " " + new String(payload, StandardCharsets.UTF_8));
                }

                @Override
                public void connectionLost(IOException cause) {
                }
            })) {
                watcher.subscribe(List.of("online/#"), 1).get(30, TimeUnit.SECONDS);
                link.cut();
                assertEquals("online/dev1 offline", take(watched, "last will"));
            }
        } finally {
            loop.shutdownNow();
            broker.close();
        }
    }

    private static void publish(String url, String topic, String payload, boolean retain) throws Exception {
        try (MqttConnection c = MqttConnection.open(MqttOptions.of(url, "publisher"), new MqttListener() {
            @Override
            public void message(String t, byte[] p, boolean r) {
            }

            @Override
            public void connectionLost(IOException cause) {
            }
        })) {
            c.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, retain).get(30, TimeUnit.SECONDS);
        }
    }
}
