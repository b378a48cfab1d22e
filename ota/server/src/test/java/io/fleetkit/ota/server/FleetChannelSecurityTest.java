package io.fleetkit.ota.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.events.EventSink;
import io.fleetkit.keys.CertificateRevocationList;
import io.fleetkit.keys.Certificates;
import io.fleetkit.keys.DeviceCertificateIssuer;
import io.fleetkit.keys.FleetKeys;
import io.fleetkit.keys.KeyPairs;
import io.fleetkit.ota.mqtt.MqttConnection;
import io.fleetkit.ota.mqtt.MqttListener;
import io.fleetkit.ota.mqtt.MqttOptions;
import io.fleetkit.ota.mqtt.MqttRefusedException;
import io.fleetkit.ota.protocol.ChunkFrame;
import io.fleetkit.ota.protocol.ChunkRequest;
import io.fleetkit.ota.protocol.OnlineStatus;
import io.fleetkit.ota.protocol.Topics;
import io.fleetkit.ota.protocol.UpdateEvent;
import io.fleetkit.ota.protocol.UpdateState;
import io.fleetkit.ota.server.broker.MosquittoConfig;
import io.fleetkit.ota.server.broker.TlsSockets;
import io.fleetkit.ota.server.bundles.PublishedBundle;
import io.fleetkit.ota.server.db.DeviceStore;
import io.fleetkit.ota.server.rollout.DeviceRolloutState;
import io.fleetkit.ota.server.rollout.PhasePlan;
import io.fleetkit.ota.server.rollout.Rollout;
import io.fleetkit.ota.server.rollout.RolloutRequest;
import io.fleetkit.testsupport.Await;
import io.fleetkit.testsupport.Mosquitto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The attacks of issue #17, tried as a new user would, against a default `fleet server` (embedded broker,
 * TLS, certificates) and against a real Mosquitto configured by `fleet server broker-config mosquitto`: each
 * fails. The server runs from a key directory without signing.key and ca.key. Devices are played by ota-mqtt
 * connections with certificates of their own; "nothing happened" is checked after a later message of the same
 * client has visibly arrived, since a broker delivers one client's messages in order.
 */
class FleetChannelSecurityTest {

    static final Duration DEADLINE = Duration.ofSeconds(30);

    enum Broker { EMBEDDED, MOSQUITTO }

    static final byte[] FORGED = "{\"schema\":1,\"version\":null,\"forged\":true}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    @TempDir
    Path tmp;

    FleetKeys keys;
    FleetServer server;
    Mosquitto mosquitto;
    String url;
    final List<MqttConnection> connections = new ArrayList<>();
    final List<String> received = new CopyOnWriteArrayList<>();
    final List<String> payloads = new CopyOnWriteArrayList<>();
    final Topics topics = Topics.DEFAULT;

    /** Starts the broker and the server; {@code revokedSerial} goes into Mosquitto's CRL before it starts. */
    void start(Broker broker, String revokedSerial) throws Exception {
        if (keys == null) {
            keys = TestFleet.keys(tmp);
        }
        Path serverKeys = TestFleet.serverOnlyKeys(tmp);
        assertFalse(Files.exists(serverKeys.resolve(FleetKeys.SIGNING_KEY)) || Files.exists(serverKeys.resolve(FleetKeys.CA_KEY)));
        int port = Mosquitto.freePort();
        FleetServerConfig config = FleetServerConfig.defaults(tmp.resolve("data")).withKeyDir(serverKeys)
                .withListen("127.0.0.1", port).withTickInterval(Duration.ofMillis(100));
        if (broker == Broker.MOSQUITTO) {
            Path dir = Files.createDirectories(tmp.resolve("mosquitto"));
            Files.createDirectories(dir.resolve("data"));
            Files.copy(serverKeys.resolve("ca.crt"), dir.resolve("ca.crt"));
            Files.copy(serverKeys.resolve("server.crt"), dir.resolve("server.crt"));
            Files.copy(serverKeys.resolve("server.key"), dir.resolve("server.key"));
            if (revokedSerial != null) {
                Files.writeString(dir.resolve("crl.pem"),
                        CertificateRevocationList.revoke(tmp.resolve("keys"), keys, List.of(revokedSerial), Clock.systemUTC()));
            }
            Files.writeString(dir.resolve(MosquittoConfig.ACL), MosquittoConfig.acl(topics, List.of("fleet-server")));
            mosquitto = Mosquitto.startConfigured(dir, MosquittoConfig.conf(dir.toString(), "127.0.0.1", port, revokedSerial != null), port);
            config = config.withBrokerUrl("ssl://127.0.0.1:" + port);
        }
        server = FleetServer.start(config, EventSink.NONE);
        url = "ssl://127.0.0.1:" + port;
    }

    @AfterEach
    void stop() throws Exception {
        for (MqttConnection c : connections) {
            c.close();
        }
        if (server != null) {
            server.close();
        }
        if (mosquitto != null) {
            mosquitto.close();
        }
    }

    /** A certificate for {@code id} from {@code issuer}, and TLS sockets presenting it and trusting the fleet CA. */
    record Identity(X509Certificate certificate, SocketFactory sockets) {}

    Identity identity(FleetKeys issuer, String id) {
        KeyPair pair = KeyPairs.ecP256();
        X509Certificate cert = new DeviceCertificateIssuer(Clock.systemUTC()).issue(issuer, id, pair.getPublic());
        return new Identity(cert, TlsSockets.client(pair.getPrivate(), cert, keys.caCertificate()));
    }

    MqttConnection connect(String clientId, SocketFactory sockets) throws IOException {
        MqttConnection c = MqttConnection.open(MqttOptions.of(url, clientId).withSocketFactory(sockets), new MqttListener() {
            @Override
            public void message(String topic, byte[] payload, boolean retained) {
                received.add(clientId + " " + topic);
                payloads.add(clientId + " " + topic + " " + new String(payload, java.nio.charset.StandardCharsets.UTF_8));
            }

            @Override
            public void connectionLost(IOException cause) {
                received.add(clientId + " lost");
            }
        });
        connections.add(c);
        return c;
    }

    MqttConnection device(String id) throws IOException {
        return connect(id, identity(keys, id).sockets());
    }

    /** Publishes a report of {@code id} from {@code c} on {@code id}'s own topic and waits until the server has it. */
    void reportAndAwait(MqttConnection c, String id, String version, UpdateState state, String target) throws Exception {
        c.publish(topics.state(id), TestFleet.report(id, version, state, target).encode(), 1, true).get(10, TimeUnit.SECONDS);
        Await.until(id + " reported " + version + " " + state, DEADLINE, () -> server.database().transaction(c2 -> new DeviceStore().find(c2, id))
                .filter(d -> version.equals(d.version()) && d.updateState() == state).isPresent());
    }

    boolean known(String id) throws Exception {
        return server.database().transaction(c -> new DeviceStore().find(c, id)).isPresent();
    }

    @ParameterizedTest
    @EnumSource(Broker.class)
    void anonymousAndForeignClientsAreRefused(Broker broker) throws Exception {
        start(broker, null);
        // no certificate at all: TLS trusting the fleet CA, nothing to present
        SocketFactory anonymous = TestFleet.trustOnly(keys.caCertificate()).getSocketFactory();
        assertThrows(IOException.class, () -> connect("gw-anon", anonymous));
        // plain MQTT on the TLS port
        assertThrows(IOException.class, () -> connect("gw-plain", SocketFactory.getDefault()));
        // a certificate from another CA
        FleetKeys other = FleetKeys.init(tmp.resolve("other-keys"), Clock.systemUTC());
        assertThrows(IOException.class, () -> connect("gw-9", identity(other, "gw-9").sockets()));
        if (broker == Broker.EMBEDDED) {
            assertTrue(server.embeddedBroker().orElseThrow().insecurePort().isEmpty(), "no plain listener unless asked for");
        }
        // a genuine device gets in
        reportAndAwait(device("gw-1"), "gw-1", "1.0.0", UpdateState.IDLE, null);
        assertFalse(known("gw-anon") || known("gw-plain") || known("gw-9"));
    }

    @ParameterizedTest
    @EnumSource(Broker.class)
    void aRevokedCertificateIsRefused(Broker broker) throws Exception {
        keys = TestFleet.keys(tmp);
        Identity stolen = identity(keys, "gw-5");
        if (broker == Broker.MOSQUITTO) {
            // Mosquitto reads the CRL, made where the CA key is, when it starts
            start(broker, Certificates.serialHex(stolen.certificate()));
        } else {
            start(broker, null);
            MqttConnection live = connect("gw-5", stolen.sockets());
            reportAndAwait(live, "gw-5", "1.0.0", UpdateState.IDLE, null);
            assertEquals(Certificates.serialHex(stolen.certificate()), server.database().transaction(
                    c -> new DeviceStore().find(c, "gw-5")).orElseThrow().certificateSerial(), "the server knows the certificate it admitted");
            try (FleetClient cli = LocalFleetClient.open(tmp.resolve("data"), null, tmp.resolve("keys"), Clock.systemUTC(), EventSink.NONE)) {
                cli.revoke("gw-5", null, "card stolen");
            }
            Await.until("the live session of the revoked gw-5 is dropped", DEADLINE, () -> !live.isConnected());
        }
        IOException refused = assertThrows(IOException.class, () -> connect("gw-5", stolen.sockets()));
        if (broker == Broker.EMBEDDED) {
            assertEquals(5, ((MqttRefusedException) refused).returnCode(), "CONNACK 5, not authorized: " + refused);
            // a certificate issued to gw-5 after the revocation is admitted (serials are per second)
            Thread.sleep(1100);
            reportAndAwait(device("gw-5"), "gw-5", "1.0.1", UpdateState.IDLE, null);
        }
    }

    /** Something a client tries on its connection. */
    interface Attack {
        void on(MqttConnection c) throws Exception;
    }

    /**
     * Tries {@code attack} as {@code id} on a connection of its own (with a certificate of that id). A broker may
     * drop a client for a publish it may not make (HiveMQ does with MQTT 3.1.1, which has no refusal code for it;
     * Mosquitto drops the message): either way the attack goes nowhere, which the caller checks.
     */
    void attempt(String id, Attack attack) throws Exception {
        try {
            MqttConnection c = device(id);
            attack.on(c);
            c.close();
        } catch (IOException | ExecutionException e) {
            // cut off for it: fine
        }
    }

    @ParameterizedTest
    @EnumSource(Broker.class)
    void aDeviceSpeaksOnlyForItself(Broker broker) throws Exception {
        start(broker, null);
        MqttConnection gw4 = device("gw-4");
        gw4.subscribe(List.of(topics.desired("gw-4"), topics.eventAcks("gw-4")), 1).get(10, TimeUnit.SECONDS);
        // the server's own desired state for gw-4, which only gw-4 may hear
        reportAndAwait(gw4, "gw-4", "1.0.0", UpdateState.IDLE, null);
        server.database().transaction(c -> {
            new DeviceStore().setDesired(c, "gw-4", io.fleetkit.ota.protocol.DesiredUpdate.none());
            return null;
        });
        Await.until("gw-4 hears its desired state", DEADLINE, () -> received.contains("gw-4 " + topics.desired("gw-4")));
        // gw-3's certificate publishing as gw-4: on gw-4's topics, and under gw-4's id on its own
        attempt("gw-3", c -> c.publish(topics.state("gw-4"), TestFleet.report("gw-4", "9.9.9", UpdateState.COMMITTED, "9.9.9").encode(), 1,
                true).get(10, TimeUnit.SECONDS));
        attempt("gw-3", c -> c.publish(topics.online("gw-4"), OnlineStatus.online(Instant.now()).encode(), 1, true).get(10, TimeUnit.SECONDS));
        attempt("gw-3", c -> c.publish(topics.events("gw-4"),
                new UpdateEvent("gw-4", 1, UpdateState.COMMITTED, "9.9.9", null, null, Instant.now()).encode(), 1, false).get(10, TimeUnit.SECONDS));
        attempt("gw-3", c -> c.publish(topics.state("gw-3"), TestFleet.report("gw-4", "9.9.9", UpdateState.COMMITTED, "9.9.9").encode(), 1,
                false).get(10, TimeUnit.SECONDS));
        // desired messages from a device reach nobody: not gw-4, not gw-3 itself
        attempt("gw-3", c -> {
            c.subscribe(List.of(topics.desired("gw-3")), 1).get(10, TimeUnit.SECONDS);
            c.publish(topics.desired("gw-3"), FORGED, 1, true).get(10, TimeUnit.SECONDS);
        });
        attempt("gw-3", c -> c.publish(topics.desired("gw-4"), FORGED, 1, true).get(10, TimeUnit.SECONDS));
        // event acknowledgements: only the server says what it applied; gw-3 neither hears gw-4's nor forges one
        attempt("gw-3", c -> c.subscribe(List.of(topics.eventAcks("gw-4")), 1).get(10, TimeUnit.SECONDS));
        attempt("gw-3", c -> c.publish(topics.eventAcks("gw-4"), "{\"schema\":1,\"seq\":777}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                1, false).get(10, TimeUnit.SECONDS));
        // wildcards: the embedded broker refuses them (a failure SUBACK); Mosquitto 2.0 grants them and then delivers
        // only what the ACL lets gw-3 read, which is nothing here. Either way: no data.
        MqttConnection gw3 = device("gw-3");
        CompletableFuture<Void> allDesired = gw3.subscribe(List.of(topics.wildcard(Topics.Kind.DESIRED)), 1);
        CompletableFuture<Void> everything = gw3.subscribe(List.of("#"), 1);
        if (broker == Broker.EMBEDDED) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> allDesired.get(10, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains("0x80"), e.getCause().getMessage());
            assertThrows(ExecutionException.class, () -> everything.get(10, TimeUnit.SECONDS));
        } else {
            allDesired.get(10, TimeUnit.SECONDS);
            everything.get(10, TimeUnit.SECONDS);
        }
        // a second server: gw-3's certificate with the server's client id
        Identity gw3Again = identity(keys, "gw-3");
        if (broker == Broker.EMBEDDED) {
            MqttRefusedException e = assertThrows(MqttRefusedException.class, () -> connect("fleet-server", gw3Again.sockets()));
            assertEquals(2, e.returnCode(), "CONNACK 2, identifier rejected");
        } else {
            // Mosquitto takes the certificate's CN as the client id (use_username_as_clientid): it is gw-3, not the server
            try {
                connect("fleet-server", gw3Again.sockets());
            } catch (IOException e) {
                // refused is fine too
            }
        }
        // the server still hears devices, and the forgeries did nothing
        MqttConnection gw5 = device("gw-5");
        reportAndAwait(gw5, "gw-5", "1.0.0", UpdateState.IDLE, null);
        gw5.subscribe(List.of(topics.eventAcks("gw-5")), 1).get(10, TimeUnit.SECONDS);
        gw5.publish(topics.events("gw-5"), new UpdateEvent("gw-5", 1, UpdateState.DOWNLOADING, "2.0.0", null, null, Instant.now()).encode(), 1,
                false).get(10, TimeUnit.SECONDS);
        Await.until("gw-5 hears its event acknowledged", DEADLINE,
                () -> payloads.contains("gw-5 " + topics.eventAcks("gw-5") + " {\"schema\":1,\"seq\":1}"), payloads::toString);
        reportAndAwait(gw4, "gw-4", "1.0.0", UpdateState.IDLE, null);
        Thread.sleep(1000);
        assertEquals("1.0.0", server.database().transaction(c -> new DeviceStore().find(c, "gw-4")).orElseThrow().version(),
                "gw-4's record is what gw-4 said");
        assertTrue(server.database().transaction(c -> new io.fleetkit.ota.server.db.EventStore().forDevice(c, "gw-4", 10)).isEmpty(),
                "no forged event of gw-4");
        assertEquals(List.of(), payloads.stream().filter(r -> r.contains("forged")).toList(), "no desired message from a device reached anyone");
        assertEquals(List.of(), payloads.stream().filter(r -> r.contains("777")).toList(), "no forged acknowledgement reached anyone");
        assertEquals(List.of(), received.stream().filter(r -> r.startsWith("gw-3 ") && !r.endsWith(" lost")).toList(),
                "gw-3 heard nothing of others");
    }

    @ParameterizedTest
    @EnumSource(Broker.class)
    void forgedReportsLeaveTheRolloutInItsPhaseAndChunksGoOnlyToTheOfferedDevice(Broker broker) throws Exception {
        start(broker, null);
        Path bundle = TestFleet.bundle(tmp, keys, "2.0.0", 2_000_000, TestFleet.BOARD, 20_000, 4096);
        PublishedBundle published = server.bundles().publish(bundle, Optional.empty());
        MqttConnection canary = device("gw-1");
        canary.subscribe(List.of(topics.chunkData("gw-1")), 1).get(10, TimeUnit.SECONDS);
        MqttConnection gw2 = device("gw-2");
        reportAndAwait(canary, "gw-1", "1.0.0", UpdateState.IDLE, null);
        reportAndAwait(gw2, "gw-2", "1.0.0", UpdateState.IDLE, null);
        Rollout r = server.rollouts().create(RolloutRequest.of("2.0.0").withPhases(PhasePlan.parse("1,100%")));
        Await.until("the canary offered", DEADLINE, () -> server.rollouts().status(r.id()).devices().stream()
                .anyMatch(d -> d.deviceId().equals("gw-1") && d.state() == DeviceRolloutState.OFFERED));

        // forged COMMITTED for the canary, on its topics and under its id on the attacker's own
        attempt("gw-3", c -> c.publish(topics.state("gw-1"), TestFleet.report("gw-1", "2.0.0", UpdateState.COMMITTED, "2.0.0").encode(), 1,
                true).get(10, TimeUnit.SECONDS));
        attempt("gw-3", c -> c.publish(topics.events("gw-1"),
                new UpdateEvent("gw-1", 99, UpdateState.COMMITTED, "2.0.0", null, null, Instant.now()).encode(), 1, false).get(10, TimeUnit.SECONDS));
        attempt("gw-3", c -> c.publish(topics.chunkRequests("gw-1"), ChunkRequest.header(published.sha256()).encode(), 1, false)
                .get(10, TimeUnit.SECONDS));
        MqttConnection attacker = device("gw-3");
        attacker.subscribe(List.of(topics.chunkData("gw-3")), 1).get(10, TimeUnit.SECONDS);
        attacker.publish(topics.state("gw-3"), TestFleet.report("gw-1", "2.0.0", UpdateState.COMMITTED, "2.0.0").encode(), 1, false);
        // chunks of a bundle gw-3 was not offered
        attacker.publish(topics.chunkRequests("gw-3"), ChunkRequest.header(published.sha256()).encode(), 1, false);
        reportAndAwait(attacker, "gw-3", "1.0.0", UpdateState.IDLE, null);

        // the canary itself is answered, on its own topic, once: the request on its topic by gw-3 went nowhere
        canary.publish(topics.chunkRequests("gw-1"), ChunkRequest.header(published.sha256()).encode(), 1, false);
        Await.until("the canary's chunk answered", DEADLINE, () -> received.contains("gw-1 " + topics.chunkData("gw-1")));
        Thread.sleep(1000);
        assertEquals(1, received.stream().filter(x -> x.equals("gw-1 " + topics.chunkData("gw-1"))).count(), "one answer: " + received);
        assertFalse(received.contains("gw-3 " + topics.chunkData("gw-3")), "no chunk for the device not offered the bundle");
        assertEquals(0, server.rollouts().status(r.id()).rollout().currentPhase(), "the rollout stays in its first phase");
        assertEquals(DeviceRolloutState.OFFERED, server.rollouts().status(r.id()).devices().stream()
                .filter(d -> d.deviceId().equals("gw-1")).findFirst().orElseThrow().state());
        assertEquals("1.0.0", server.database().transaction(c -> new DeviceStore().find(c, "gw-1")).orElseThrow().version());
    }
}
