package io.fleetkit.ota.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fleetkit.events.EventSink;
import io.fleetkit.ota.mqtt.MqttConnection;
import io.fleetkit.ota.mqtt.MqttListener;
import io.fleetkit.ota.mqtt.MqttOptions;
import io.fleetkit.ota.mqtt.Will;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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

    private int port;

    private Process mosquitto() throws Exception {
        Path conf = Files.writeString(dir.resolve("mosquitto.conf"), "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence false\n");
        Process p;
        try {
            p = new ProcessBuilder("mosquitto", "-c", conf.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mosquitto.log").toFile())).start();
        } catch (IOException e) {
            throw new AssertionError("mosquitto is missing: install the Debian package 'mosquitto'", e);
        }
        for (int i = 0; i < 200; i++) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return p;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("mosquitto did not listen on " + port + ": " + Files.readString(dir.resolve("mosquitto.log")));
    }

    private static <T> T take(BlockingQueue<T> q, String what) throws InterruptedException {
        T t = q.poll(60, TimeUnit.SECONDS);
        if (t == null) {
            throw new AssertionError("no " + what + " within 60 s");
        }
        return t;
    }

    @Test
    void reconnectsAndSubscribesAgainAfterTheBrokerRestartsAndACutLeavesTheWill() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String url = "tcp://127.0.0.1:" + port;
        Process broker = mosquitto();
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

            broker.destroyForcibly().waitFor();
            broker = mosquitto(); // a new broker: no sessions, no subscriptions, no retained messages
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
            broker.destroyForcibly().waitFor();
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
