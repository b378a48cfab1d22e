package io.fleetkit.ota.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.events.EventSink;
import io.fleetkit.keys.FleetKeys;
import io.fleetkit.ota.mqtt.MqttConnection;
import io.fleetkit.ota.mqtt.MqttListener;
import io.fleetkit.ota.mqtt.MqttOptions;
import io.fleetkit.ota.protocol.ChunkFrame;
import io.fleetkit.ota.protocol.ChunkRequest;
import io.fleetkit.ota.protocol.DesiredUpdate;
import io.fleetkit.ota.protocol.Topics;
import io.fleetkit.ota.protocol.UpdateState;
import io.fleetkit.ota.server.bundles.PublishedBundle;
import io.fleetkit.ota.server.db.DeviceStore;
import io.fleetkit.ota.server.rollout.DeviceRolloutState;
import io.fleetkit.ota.server.rollout.Rollout;
import io.fleetkit.ota.server.rollout.RolloutRequest;
import io.fleetkit.testsupport.Await;
import io.fleetkit.testsupport.Mosquitto;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What decided the embedded broker (docs/protocol.md, "Sessions"): Moquette 0.17 ended a session loop for
 * good when a client resent a QoS 1 PUBLISH with DUP=1 or when a PUBACK raced a disconnect, cutting off every
 * client routed to it, and now and then held a message until its own 5 s resend. The broker the server embeds
 * must take all of it with no watchdog: these run against a default server (TLS, certificates).
 */
class EmbeddedBrokerTest {

    static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    FleetKeys keys;
    FleetServer server;
    int port;

    @BeforeEach
    void start() throws Exception {
        keys = TestFleet.keys(tmp);
        port = Mosquitto.freePort();
        server = FleetServer.start(FleetServerConfig.defaults(tmp.resolve("data")).withKeyDir(tmp.resolve("keys"))
                .withListen("127.0.0.1", port).withTickInterval(Duration.ofMillis(100)), EventSink.NONE);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    MqttConnection device(String id, MqttListener listener) throws IOException {
        return MqttConnection.open(MqttOptions.of("ssl://127.0.0.1:" + port, id).withSocketFactory(TestFleet.deviceSockets(keys, id)), listener);
    }

    String version(String id) throws Exception {
        return server.database().transaction(c -> new DeviceStore().find(c, id)).map(d -> d.version()).orElse(null);
    }

    @Test
    void keepsServingADeviceThatResendsAQosOnePublishWithDupOnAPersistentSession() throws Exception {
        String id = "gw-dup";
        try (Socket s = TestFleet.deviceSockets(keys, id).createSocket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(s.getInputStream());
            connect(out, in, id);
            publishQos1(out, Topics.DEFAULT.state(id), TestFleet.report(id, "1.0.0", UpdateState.IDLE, null).encode(), 7, true);
            assertEquals("PUBACK 7", nextAck(in), "the resent message is acknowledged");
            publishQos1(out, Topics.DEFAULT.state(id), TestFleet.report(id, "1.0.1", UpdateState.IDLE, null).encode(), 8, false);
            assertEquals("PUBACK 8", nextAck(in), "and the next one too");
        }
        Await.until("the server heard the message after the resend", DEADLINE, () -> "1.0.1".equals(version(id)));
    }

    @Test
    void devicesThatDropTheirConnectionBeforeAcknowledgingAreAllHeardAgain() throws Exception {
        // 24 devices, each handed its retained desired state (QoS 1) as it subscribes, each cutting its connection
        // at once, three times over: acknowledgements race disconnects throughout the broker's threads
        int n = 24;
        List<String> ids = java.util.stream.IntStream.range(0, n).mapToObj(i -> String.format("gw-race-%02d", i)).toList();
        for (String id : ids) {
            try (MqttConnection c = device(id, quiet())) {
                c.publish(Topics.DEFAULT.state(id), TestFleet.report(id, "1.0.0", UpdateState.IDLE, null).encode(), 1, true).get(10, TimeUnit.SECONDS);
            }
        }
        Await.until(n + " devices known", DEADLINE, () -> ids.stream().allMatch(id -> {
            try {
                return "1.0.0".equals(version(id));
            } catch (Exception e) {
                return false;
            }
        }));
        server.database().transaction(c -> {
            for (String id : ids) {
                new DeviceStore().setDesired(c, id, DesiredUpdate.none());
            }
            return null;
        });
        for (int round = 0; round < 3; round++) {
            for (String id : ids) {
                MqttConnection c = device(id, quiet());
                c.subscribe(List.of(Topics.DEFAULT.desired(id)), 1);
                c.cut();
            }
        }
        Set<String> heard = ConcurrentHashMap.newKeySet();
        for (String id : ids) {
            MqttConnection c = device(id, quiet());
            c.publish(Topics.DEFAULT.state(id), TestFleet.report(id, "1.0.2", UpdateState.IDLE, null).encode(), 1, true).get(10, TimeUnit.SECONDS);
            heard.add(id);
            c.close();
        }
        assertEquals(new HashSet<>(ids), heard, "every device was admitted and acknowledged");
        Await.until("the server heard every device after the races", DEADLINE, () -> ids.stream().allMatch(id -> {
            try {
                return "1.0.2".equals(version(id));
            } catch (Exception e) {
                return false;
            }
        }));
    }

    @Test
    void everyWindowOfChunksArrivesWithinAFewSecondsNoMessageIsHeld() throws Exception {
        Path file = TestFleet.bundle(tmp, keys, "2.0.0", 2_000_000, TestFleet.BOARD, 400 * 4096, 4096);
        PublishedBundle b = server.bundles().publish(file, Optional.empty());
        String id = "gw-window";
        Set<Integer> arrived = ConcurrentHashMap.newKeySet();
        MqttConnection c = device(id, new MqttListener() {
            @Override
            public void message(String topic, byte[] payload, boolean retained) {
                arrived.add(ChunkFrame.decode(payload).index());
            }

            @Override
            public void connectionLost(IOException cause) {
            }
        });
        try {
            c.subscribe(List.of(Topics.DEFAULT.chunkData(id)), 1).get(10, TimeUnit.SECONDS);
            c.publish(Topics.DEFAULT.state(id), TestFleet.report(id, "1.0.0", UpdateState.IDLE, null).encode(), 1, true).get(10, TimeUnit.SECONDS);
            Await.until("the device known", DEADLINE, () -> "1.0.0".equals(version(id)));
            Rollout r = server.rollouts().create(RolloutRequest.of("2.0.0"));
            Await.until("the bundle offered", DEADLINE, () -> server.rollouts().status(r.id()).devices().stream()
                    .anyMatch(d -> d.state() == DeviceRolloutState.OFFERED));
            for (int first = 0; first < b.chunks(); first += 16) {
                Set<Integer> window = new HashSet<>();
                for (int i = first; i < Math.min(b.chunks(), first + 16); i++) {
                    window.add(i);
                    c.publish(Topics.DEFAULT.chunkRequests(id), ChunkRequest.payload(b.sha256(), i).encode(), 1, false);
                }
                // Moquette held a last message until its own 5 s resend: the agent then waited ~10 s
                Await.until("chunks " + first + ".. answered within 4 s", Duration.ofSeconds(4), () -> arrived.containsAll(window));
            }
            assertTrue(arrived.size() >= b.chunks());
        } finally {
            c.close();
        }
    }

    private static MqttListener quiet() {
        return new MqttListener() {
            @Override
            public void message(String topic, byte[] payload, boolean retained) {
            }

            @Override
            public void connectionLost(IOException cause) {
            }
        };
    }

    private static void connect(OutputStream out, DataInputStream in, String clientId) throws IOException {
        ByteArrayOutputStream v = new ByteArrayOutputStream();
        byte[] cid = clientId.getBytes(StandardCharsets.UTF_8);
        v.write(new byte[] {0, 4, 'M', 'Q', 'T', 'T', 4, 0 /* persistent session */, 0, 30, 0, (byte) cid.length});
        v.write(cid);
        packet(out, 0x10, v.toByteArray());
        assertEquals(0x20, in.readUnsignedByte(), "CONNACK");
        in.readUnsignedByte();
        assertEquals(0, in.readUnsignedShort() & 0xff, "connection accepted");
    }

    private static void publishQos1(OutputStream out, String topic, byte[] payload, int packetId, boolean dup) throws IOException {
        ByteArrayOutputStream v = new ByteArrayOutputStream();
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        v.write(new byte[] {(byte) (t.length >> 8), (byte) t.length});
        v.write(t);
        v.write(new byte[] {(byte) (packetId >> 8), (byte) packetId});
        v.write(payload);
        packet(out, 0x32 | (dup ? 0x08 : 0), v.toByteArray());
    }

    /** "PUBACK n" for the next acknowledgement, or what came instead. */
    private static String nextAck(DataInputStream in) throws IOException {
        int header = in.readUnsignedByte();
        int len = 0;
        int shift = 0;
        int b;
        do {
            b = in.readUnsignedByte();
            len |= (b & 0x7f) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        byte[] body = in.readNBytes(len);
        return (header & 0xf0) == 0x40 ? "PUBACK " + (((body[0] & 0xff) << 8) | (body[1] & 0xff)) : "packet " + Integer.toHexString(header);
    }

    private static void packet(OutputStream out, int header, byte[] body) throws IOException {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(header);
        int len = body.length;
        do {
            int digit = len % 128;
            len /= 128;
            p.write(len > 0 ? digit | 0x80 : digit);
        } while (len > 0);
        p.write(body);
        out.write(p.toByteArray());
        out.flush();
    }
}
