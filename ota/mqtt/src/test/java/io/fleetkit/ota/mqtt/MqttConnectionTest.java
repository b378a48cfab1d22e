package io.fleetkit.ota.mqtt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.testsupport.Await;
import io.fleetkit.testsupport.Mosquitto;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The client against both brokers the fleet uses: the server's embedded Moquette and a real Mosquitto. */
class MqttConnectionTest {

    private static final byte[] PINGRESP = {(byte) 0xd0, 0};

    @TempDir
    Path dir;

    /**
     * A running broker and its URL.
     *
     * @param connectionComplete whether the broker has finished accepting a client id's connection. Moquette 0.17
     *     marks a connection usable only once its CONNACK write completed, on another thread; a SUBSCRIBE or PUBLISH
     *     that arrives first finds it "already closed" and the connection is dropped (MQTTConnection.processSubscribe).
     *     The agent reconnects after that; these tests wait for the broker instead.
     */
    private record Broker(String url, AutoCloseable process, Predicate<String> connectionComplete) implements AutoCloseable {
        MqttConnection open(MqttOptions options, MqttListener listener) throws Exception {
            MqttConnection c = MqttConnection.open(options, listener);
            Await.until("the broker completing the connection of " + options.clientId(), Duration.ofSeconds(30),
                    () -> connectionComplete.test(options.clientId()));
            return c;
        }

        @Override
        public void close() throws Exception {
            process.close();
        }
    }

    private Broker broker(String kind) throws Exception {
        if (kind.equals("moquette")) {
            TestMoquette m = new TestMoquette();
            return new Broker(m.url(), m, m::connectionComplete);
        }
        Mosquitto m = Mosquitto.start(Files.createDirectories(dir.resolve("mosquitto")));
        return new Broker(m.url(), m, clientId -> true);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"moquette", "mosquitto"})
    void roundTripsOneMebibytePayload(String kind) throws Exception {
        try (Broker b = broker(kind);
             MqttConnection sub = b.open(MqttOptions.of(b.url(), "sub"), new Inbox());
             MqttConnection pub = b.open(MqttOptions.of(b.url(), "pub"), new Inbox())) {
            Inbox inbox = new Inbox();
            try (MqttConnection receiver = b.open(MqttOptions.of(b.url(), "receiver"), inbox)) {
                receiver.subscribe(List.of("big/#"), 1).get(30, TimeUnit.SECONDS);
                byte[] payload = new byte[1 << 20];
                new Random(7).nextBytes(payload);
                pub.publish("big/one", payload, 1, false).get(30, TimeUnit.SECONDS);
                Inbox.Message m = inbox.next();
                assertEquals("big/one", m.topic());
                assertArrayEquals(payload, m.payload());
                assertFalse(m.retained());
            }
            assertTrue(sub.isConnected());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"moquette", "mosquitto"})
    void roundTripsManySmallMessagesInOrder(String kind) throws Exception {
        Inbox inbox = new Inbox();
        try (Broker b = broker(kind);
             MqttConnection receiver = b.open(MqttOptions.of(b.url(), "receiver"), inbox);
             MqttConnection pub = b.open(MqttOptions.of(b.url(), "pub"), new Inbox())) {
            receiver.subscribe(List.of("small/a", "small/b"), 1).get(30, TimeUnit.SECONDS);
            // At most 64 unacknowledged, as Paho's maxInflight kept the agent: with ~3000 outstanding
            // at once Moquette 0.17 delivered every message but never sent the last few PUBACKs.
            List<CompletableFuture<Void>> sent = new java.util.ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                if (i >= 64) {
                    sent.get(i - 64).get(60, TimeUnit.SECONDS);
                }
                sent.add(pub.publish(i % 2 == 0 ? "small/a" : "small/b", bytes("message " + i), 1, false));
            }
            sent.get(sent.size() - 1).get(60, TimeUnit.SECONDS);
            for (int i = 0; i < 3000; i++) {
                Inbox.Message m = inbox.next();
                assertEquals(i % 2 == 0 ? "small/a" : "small/b", m.topic());
                assertEquals("message " + i, new String(m.payload(), StandardCharsets.UTF_8));
            }
            // QoS 0 too; the receiver's subscription is QoS 1, so the broker delivers at the lower of the two
            pub.publish("small/a", bytes("fire and forget"), 0, false).get();
            assertEquals("fire and forget", new String(inbox.next().payload(), StandardCharsets.UTF_8));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"moquette", "mosquitto"})
    void retainedMessageArrivesOnSubscribe(String kind) throws Exception {
        try (Broker b = broker(kind);
             MqttConnection pub = b.open(MqttOptions.of(b.url(), "pub"), new Inbox())) {
            pub.publish("fleet/desired/dev1", bytes("{\"version\":\"2.0.0\"}"), 1, true).get(30, TimeUnit.SECONDS);
            Inbox inbox = new Inbox();
            try (MqttConnection late = b.open(MqttOptions.of(b.url(), "late"), inbox)) {
                late.subscribe(List.of("fleet/desired/+"), 1).get(30, TimeUnit.SECONDS);
                Inbox.Message m = inbox.next();
                assertEquals("fleet/desired/dev1", m.topic());
                assertEquals("{\"version\":\"2.0.0\"}", new String(m.payload(), StandardCharsets.UTF_8));
                if (kind.equals("mosquitto")) {
                    // MQTT-3.3.1-8; Moquette sets the flag only from 0.18 on (moquette PR #815)
                    assertTrue(m.retained());
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"moquette", "mosquitto"})
    void lastWillIsPublishedAfterCut(String kind) throws Exception {
        Inbox watcher = new Inbox();
        try (Broker b = broker(kind);
             MqttConnection w = b.open(MqttOptions.of(b.url(), "watcher"), watcher)) {
            w.subscribe(List.of("online/#"), 1).get(30, TimeUnit.SECONDS);
            MqttConnection device = b.open(MqttOptions.of(b.url(), "dev1")
                    .withWill(new Will("online/dev1", bytes("offline"), 1, false)), new Inbox());
            device.publish("online/dev1", bytes("online"), 1, false).get(30, TimeUnit.SECONDS);
            assertEquals("online", new String(watcher.next().payload(), StandardCharsets.UTF_8));
            device.cut();
            assertFalse(device.isConnected());
            Inbox.Message will = watcher.next();
            assertEquals("online/dev1", will.topic());
            assertEquals("offline", new String(will.payload(), StandardCharsets.UTF_8));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"moquette", "mosquitto"})
    void keepAlivePingsHoldAnIdleConnectionPastTheKeepAlive(String kind) throws Exception {
        Inbox inbox = new Inbox();
        RecordingSocketFactory wire = new RecordingSocketFactory();
        try (Broker b = broker(kind);
             MqttConnection c = b.open(MqttOptions.of(b.url(), "idle").withKeepAlive(3).withSocketFactory(wire), inbox)) {
            c.subscribe(List.of("idle/echo"), 1).get(30, TimeUnit.SECONDS);
            int idleFrom = wire.receivedCount();
            // Without pings the broker drops the client after 4.5 s (1.5 x keep-alive) and our read times out then
            // too. Idle, the client pings at least 1.5 s apart, so four answered pings span more than those 4.5 s.
            Await.until("four PINGRESPs on the idle connection", Duration.ofSeconds(60), () -> {
                assertFalse(inbox.lost.isDone(), () -> "connection lost: " + inbox.lost.join());
                return wire.receivedFrom(idleFrom).length >= 4 * PINGRESP.length;
            }, () -> HexFormat.of().formatHex(wire.receivedFrom(idleFrom)) + " received while idle");
            assertArrayEquals(HexFormat.of().parseHex("d000".repeat(4)), Arrays.copyOf(wire.receivedFrom(idleFrom), 4 * PINGRESP.length),
                    "nothing but PINGRESPs while idle");
            assertFalse(inbox.lost.isDone(), () -> "connection lost: " + inbox.lost.join());
            assertTrue(c.isConnected());
            c.publish("idle/echo", bytes("still here"), 1, false).get(30, TimeUnit.SECONDS);
            assertEquals("still here", new String(inbox.next().payload(), StandardCharsets.UTF_8));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"moquette", "mosquitto"})
    void refusedSubscriptionFailsTheSubscribe(String kind) throws Exception {
        try (Broker b = broker(kind);
             MqttConnection c = b.open(MqttOptions.of(b.url(), "sub"), new Inbox())) {
            // '#' must be the last level: both brokers answer an invalid filter with 0x80 or by closing
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> c.subscribe(List.of("ok/topic", "bad/#/filter"), 1).get(30, TimeUnit.SECONDS));
            assertInstanceOf(MqttException.class, e.getCause());
        }
    }

    /**
     * Messages handled on several threads finish in any order, but their PUBACKs must go in the order the PUBLISHes came
     * (MQTT-4.6.0-2): a client that acknowledged out of order got a device's state reports redelivered out of order by
     * Mosquitto 2.0.11 under load.
     */
    @ParameterizedTest
    @ValueSource(strings = {"moquette", "mosquitto"})
    void acknowledgesInTheOrderMessagesCameWhateverOrderTheyWereHandledIn(String kind) throws Exception {
        List<Runnable> acks = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        MqttListener holding = new MqttListener() {
            @Override
            public void message(String topic, byte[] payload, boolean retained) {
                throw new AssertionError("acknowledged by hand");
            }

            @Override
            public void message(String topic, byte[] payload, boolean retained, Runnable acknowledge) {
                seen.add(new String(payload, StandardCharsets.UTF_8));
                acks.add(acknowledge);
            }

            @Override
            public void connectionLost(IOException cause) {
            }
        };
        RecordingSocketFactory wire = new RecordingSocketFactory();
        try (Broker b = broker(kind);
             MqttConnection receiver = b.open(MqttOptions.of(b.url(), "receiver").withSocketFactory(wire), holding);
             MqttConnection pub = b.open(MqttOptions.of(b.url(), "pub"), new Inbox())) {
            receiver.subscribe(List.of("order/#"), 1).get(30, TimeUnit.SECONDS);
            int from = wire.sentCount();
            int receivedFrom = wire.receivedCount();
            for (int i = 0; i < 3; i++) {
                pub.publish("order/x", bytes("m" + i), 1, false).get(30, TimeUnit.SECONDS);
            }
            Await.until("three messages handed to the listener", Duration.ofSeconds(30), () -> acks.size() == 3, seen::toString);
            List<Integer> delivered = publishPacketIds(wire.receivedFrom(receivedFrom));
            assertEquals(3, delivered.size(), "three QoS 1 PUBLISHes on the wire");
            acks.get(2).run(); // the last first: nothing may go yet
            acks.get(1).run();
            assertEquals(List.of(), pubAckIds(wire.sentFrom(from)), "no PUBACK before the first message's");
            acks.get(0).run();
            Await.until("three PUBACKs sent", Duration.ofSeconds(30), () -> pubAckIds(wire.sentFrom(from)).size() == 3,
                    () -> HexFormat.of().formatHex(wire.sentFrom(from)));
            assertEquals(delivered, pubAckIds(wire.sentFrom(from)), "PUBACKs in the order the PUBLISHes came");
            assertEquals(List.of("m0", "m1", "m2"), seen);
        }
    }

    /** The packet ids of the QoS 1 PUBLISHes in {@code bytes} (whole packets, lengths under 128). */
    private static List<Integer> publishPacketIds(byte[] bytes) {
        List<Integer> ids = new java.util.ArrayList<>();
        for (int i = 0; i + 1 < bytes.length; i += 2 + (bytes[i + 1] & 0xff)) {
            if ((bytes[i] & 0xf0) == 0x30 && (bytes[i] & 0x06) == 0x02) {
                int topicLength = ((bytes[i + 2] & 0xff) << 8) | (bytes[i + 3] & 0xff);
                int at = i + 4 + topicLength;
                ids.add(((bytes[at] & 0xff) << 8) | (bytes[at + 1] & 0xff));
            }
        }
        return ids;
    }

    /** The packet ids of the PUBACKs in {@code bytes} (the client sends only PUBACKs and PINGREQs here). */
    private static List<Integer> pubAckIds(byte[] bytes) {
        List<Integer> ids = new java.util.ArrayList<>();
        for (int i = 0; i + 1 < bytes.length; i += 2 + (bytes[i + 1] & 0xff)) {
            if ((bytes[i] & 0xff) == 0x40 && i + 3 < bytes.length) {
                ids.add(((bytes[i + 2] & 0xff) << 8) | (bytes[i + 3] & 0xff));
            }
        }
        return ids;
    }
}
