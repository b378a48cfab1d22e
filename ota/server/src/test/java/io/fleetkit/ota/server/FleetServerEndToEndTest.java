package io.fleetkit.ota.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.fleetkit.events.EventSink;
import io.fleetkit.keys.FleetKeys;
import io.fleetkit.ota.protocol.ChunkFrame;
import io.fleetkit.ota.protocol.ChunkRequest;
import io.fleetkit.ota.protocol.Topics;
import io.fleetkit.ota.server.bundles.PublishedBundle;
import io.fleetkit.ota.server.rollout.DeviceRolloutState;
import io.fleetkit.ota.server.rollout.PhasePlan;
import io.fleetkit.ota.server.rollout.Rollout;
import io.fleetkit.ota.server.rollout.RolloutRequest;
import io.fleetkit.ota.server.rollout.RolloutState;
import io.fleetkit.testsupport.Await;
import io.fleetkit.testsupport.Mosquitto;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import io.fleetkit.ota.server.db.TestPostgres;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The server with its embedded broker (and with a real Mosquitto), devices played by raw Paho clients. */
class FleetServerEndToEndTest {

    static final Duration DEADLINE = Duration.ofSeconds(90);

    /** The databases the server runs on: its default H2 file in the data dir, or `--db jdbc:postgresql://...`. */
    enum Db { H2, POSTGRES }

    /** Started by the first test that runs on PostgreSQL, shared by the class. */
    static TestPostgres postgres;

    @TempDir
    Path tmp;

    FleetKeys keys;
    Path bundle;
    int port;
    final List<SimDevice> devices = new ArrayList<>();
    final List<AutoCloseable> closers = new ArrayList<>();
    final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor();

    @BeforeEach
    void setUp() throws Exception {
        keys = TestFleet.keys(tmp);
        bundle = TestFleet.bundle(tmp, keys, "2.0.0", 2_000_000, TestFleet.BOARD, 200_000, 4096);
        port = Mosquitto.freePort();
        retries.scheduleWithFixedDelay(() -> {
            for (SimDevice d : List.copyOf(devices)) {
                try {
                    d.retry(1000);
                } catch (Exception ignored) {
                    // retried on the next round
                }
            }
        }, 200, 200, TimeUnit.MILLISECONDS);
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    /** The JDBC URL for {@code db}: null (the data dir's H2) or a new database on the shared PostgreSQL server. */
    static String jdbcUrl(Db db) throws Exception {
        if (db == Db.H2) {
            return null;
        }
        if (postgres == null) {
            postgres = TestPostgres.start();
        }
        return postgres.createDatabase();
    }

    @AfterEach
    void tearDown() throws Exception {
        retries.shutdownNow();
        for (SimDevice d : devices) {
            d.close();
        }
        for (int i = closers.size() - 1; i >= 0; i--) {
            closers.get(i).close();
        }
    }

    FleetServerConfig config() {
        return FleetServerConfig.defaults(tmp.resolve("data")).withKeyDir(tmp.resolve("keys"))
                .withListen("127.0.0.1", port).withTickInterval(Duration.ofMillis(100));
    }

    FleetServer start(FleetServerConfig config) throws Exception {
        FleetServer s = FleetServer.start(config, EventSink.NONE);
        closers.add(s);
        return s;
    }

    SimDevice device(String url, String id, boolean failHealth) throws Exception {
        SimDevice d = new SimDevice(url, Topics.DEFAULT, id, TestFleet.BOARD, "1.0.0", keys.signingKey().publicKey(),
                url.startsWith("ssl://") ? TestFleet.deviceSockets(keys, id) : null, failHealth);
        devices.add(d);
        d.connect();
        return d;
    }

    void devices(String url, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            device(url, String.format("gw-%03d", i), false);
        }
    }

    static void awaitDevices(FleetServer server, int n) throws Exception {
        Await.untilMatches(n + " devices known", DEADLINE, () -> server.database().transaction(
                c -> new io.fleetkit.ota.server.db.DeviceStore().list(c)).stream().filter(d -> d.version() != null).count(), known -> known == n);
    }

    static void awaitRollout(FleetServer server, String id, RolloutState state) throws Exception {
        Await.untilMatches("rollout " + id + " " + state, DEADLINE, () -> server.rollouts().status(id).rollout().state(), s -> s == state);
    }

    @Test
    void rollsOutThroughTheEmbeddedBrokerAndDropsHostileMessages() throws Exception {
        FleetServer server = start(config());
        PublishedBundle published = server.bundles().publish(bundle, Optional.empty());
        devices(server.deviceBrokerUrl(), 10);
        awaitDevices(server, 10);

        // hostile traffic from a device with a certificate of its own: garbage report, another device's topic,
        // oversized and bad chunk requests, an unknown bundle, a bundle it was not offered: none is answered or stored
        MqttClient rogue = new MqttClient(server.deviceBrokerUrl(), "rogue", new MemoryPersistence());
        org.eclipse.paho.client.mqttv3.MqttConnectOptions ro = new org.eclipse.paho.client.mqttv3.MqttConnectOptions();
        ro.setSocketFactory(TestFleet.deviceSockets(keys, "rogue"));
        rogue.connect(ro);
        BlockingQueue<byte[]> answers = new ArrayBlockingQueue<>(4);
        rogue.subscribe(Topics.DEFAULT.chunkData("rogue"), 1, (t, m) -> answers.add(m.getPayload()));
        rogue.publish(Topics.DEFAULT.state("rogue"), "{\"schema\":1,\"id\":".getBytes(StandardCharsets.UTF_8), 1, false);
        rogue.publish(Topics.DEFAULT.chunkRequests("rogue"), new byte[20_000], 1, false);
        rogue.publish(Topics.DEFAULT.chunkRequests("rogue"), ChunkRequest.header("00".repeat(32)).encode(), 1, false);
        rogue.publish(Topics.DEFAULT.chunkRequests("rogue"), ChunkRequest.payload(published.sha256(), 0).encode(), 1, false);
        assertEquals(null, answers.poll(3, TimeUnit.SECONDS), "no answer to a rogue chunk request");
        rogue.disconnect();
        rogue.close();

        Rollout r = server.rollouts().create(RolloutRequest.of("2.0.0"));
        awaitRollout(server, r.id(), RolloutState.FINISHED);
        for (SimDevice d : devices) {
            assertEquals("2.0.0", d.version());
        }
        assertEquals(10, server.rollouts().status(r.id()).totals().succeeded());
        awaitEveryEventAcknowledgedAfterItsCommit(server);
        assertEquals("2.0.0", new FleetClientView(server).version("gw-001"));
        assertEquals(Optional.empty(), server.database().transaction(c -> new io.fleetkit.ota.server.db.DeviceStore().find(c, "rogue")
                .map(d -> d.version())), "a chunk request is no report");
    }

    @Test
    void aRollbackInTheFirstPhasePausesTheRollout() throws Exception {
        FleetServer server = start(config());
        server.bundles().publish(bundle, Optional.empty());
        device(server.deviceBrokerUrl(), "gw-000", true);
        for (int i = 1; i < 5; i++) {
            device(server.deviceBrokerUrl(), String.format("gw-%03d", i), false);
        }
        awaitDevices(server, 5);
        Rollout r = server.rollouts().create(RolloutRequest.of("2.0.0"));
        awaitRollout(server, r.id(), RolloutState.PAUSED);
        var status = server.rollouts().status(r.id());
        assertEquals(DeviceRolloutState.FAILED, status.devices().get(0).state());
        assertEquals("ROLLED_BACK: health.check-failed", status.devices().get(0).reason());
        assertEquals(1, status.totals().failures());
        assertEquals(4, status.totals().pending());
    }

    @Test
    void rollsOutThroughARealMosquitto() throws Exception {
        Mosquitto mosquitto = Mosquitto.start(tmp);
        closers.add(mosquitto);
        FleetServer server = start(config().withBrokerUrl(mosquitto.url()));
        server.bundles().publish(bundle, Optional.empty());
        devices(mosquitto.url(), 10);
        awaitDevices(server, 10);
        Rollout r = server.rollouts().create(RolloutRequest.of("2.0.0"));
        awaitRollout(server, r.id(), RolloutState.FINISHED);
        for (SimDevice d : devices) {
            assertEquals("2.0.0", d.version());
        }
        awaitEveryEventAcknowledgedAfterItsCommit(server);
    }

    /** Each device hears an acknowledgement of every event it sent, and each acknowledged event is in the database. */
    void awaitEveryEventAcknowledgedAfterItsCommit(FleetServer server) throws Exception {
        for (SimDevice d : devices) {
            List<Long> all = java.util.stream.LongStream.rangeClosed(1, d.eventsSent()).boxed().toList();
            assertTrue(!all.isEmpty(), d.id + " sent events");
            Await.untilMatches(d.id + " hears every event acknowledged", DEADLINE, () -> new java.util.TreeSet<>(d.acks),
                    acked -> acked.containsAll(all));
            List<Long> stored = server.database().transaction(c -> new io.fleetkit.ota.server.db.EventStore().forDevice(c, d.id, 100))
                    .stream().map(e -> e.seq()).toList();
            assertTrue(stored.containsAll(d.acks), d.id + ": acknowledged " + d.acks + ", stored " + stored);
        }
    }

    @Test
    void aBrokerRestartMidTransferResumesFromTheLastVerifiedChunk() throws Exception {
        Mosquitto mosquitto = Mosquitto.start(tmp);
        closers.add(mosquitto);
        FleetServer server = start(config().withBrokerUrl(mosquitto.url()));
        server.bundles().publish(bundle, Optional.empty());
        SimDevice d = device(mosquitto.url(), "gw-000", false);
        d.holdAfter = 20;
        awaitDevices(server, 1);
        Rollout r = server.rollouts().create(RolloutRequest.of("2.0.0"));
        assertTrue(d.held.await(60, TimeUnit.SECONDS), "device never got 20 chunks");
        BitSet before = d.verifiedChunks();
        int logged = d.requestLog.size();

        mosquitto.restart();
        d.holdAfter = Integer.MAX_VALUE;

        if (!d.done.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
            // what the device, the server and the broker saw, so that a failure under load says where it stopped
            String log = mosquitto.log();
            fail("download did not finish within " + DEADLINE.toSeconds() + " s of the broker restart: " + d.describe()
                    + "; rollout " + server.rollouts().status(r.id()).rollout().state() + "; broker log, last lines:\n"
                    + log.substring(Math.max(0, log.length() - 4000)));
        }
        awaitRollout(server, r.id(), RolloutState.FINISHED);
        assertTrue(before.cardinality() >= 20 && before.cardinality() < 50, "verified before the restart: " + before.cardinality());
        List<Integer> after = d.requestLog.subList(logged, d.requestLog.size());
        assertFalse(after.stream().anyMatch(before::get), "re-requested verified chunks: " + after);
        assertEquals(200_000, d.payloadBytes);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aServerRestartMidRolloutCarriesOn(Db db) throws Exception {
        String url = jdbcUrl(db);
        FleetServerConfig config = config().withJdbcUrl(url);
        FleetServer first = start(config);
        first.bundles().publish(bundle, Optional.empty());
        devices(first.deviceBrokerUrl(), 4);
        awaitDevices(first, 4);
        // The canary is an online device first: gw-000's record says offline (as when a device's online message is
        // applied after its report), so the canary is another one. The test used to assume gw-000 and failed then.
        first.database().transaction(c -> {
            new io.fleetkit.ota.server.db.DeviceStore().setOnline(c, "gw-000", false, java.time.Instant.now());
            return null;
        });
        Rollout r;
        // the rollout comes from the CLI's client, a second user of the database while the server runs (`fleet rollout --db`)
        try (FleetClient cli = LocalFleetClient.open(config.dataDir(), url, config.keyDir(), java.time.Clock.systemUTC(), EventSink.NONE)) {
            assertEquals(List.of("gw-000", "gw-001", "gw-002", "gw-003"), cli.devices().stream().map(d -> d.id()).toList());
            r = cli.createRollout(RolloutRequest.of("2.0.0").withPhases(PhasePlan.parse("1,100%")));
        }
        Await.until("canary done", DEADLINE, () -> first.rollouts().status(r.id()).rollout().currentPhase() == 1);
        String canary = first.rollouts().status(r.id()).devices().stream().filter(d -> d.phase() == 0).findFirst().orElseThrow().deviceId();
        assertEquals("gw-001", canary, "an online device goes first");
        first.close();
        closers.remove(first);
        for (SimDevice d : devices) {
            if (d.id.equals(canary)) {
                assertEquals("2.0.0", d.version(), "the canary updated before the restart");
            }
        }

        FleetServer second = start(config);
        awaitRollout(second, r.id(), RolloutState.FINISHED);
        for (SimDevice d : devices) {
            assertEquals("2.0.0", d.version());
        }
        if (db == Db.POSTGRES) {
            // the state is in PostgreSQL, as read by a plain connection, and nothing went to an H2 file
            assertFalse(Files.exists(tmp.resolve("data/fleet.mv.db")), "an H2 database was created next to PostgreSQL");
            try (Connection c = DriverManager.getConnection(url)) {
                assertEquals("FINISHED", io.fleetkit.ota.server.db.Sql.one(c, "SELECT state FROM rollouts WHERE id = ?",
                        rs -> rs.getString(1), r.id()).orElseThrow());
                assertEquals(4L, io.fleetkit.ota.server.db.Sql.count(c,
                        "SELECT COUNT(*) FROM devices WHERE version = '2.0.0' AND update_state = 'COMMITTED'"));
                assertTrue(io.fleetkit.ota.server.db.Sql.count(c, "SELECT COUNT(*) FROM events") > 0, "no update events stored");
            }
        }
    }

    /** Reads a device's version from the server's database. */
    record FleetClientView(FleetServer server) {
        String version(String id) throws Exception {
            return server.database().transaction(c -> new io.fleetkit.ota.server.db.DeviceStore().find(c, id).orElseThrow().version());
        }
    }
}
