package io.fleetkit.ota.server;

import io.fleetkit.events.EventSink;
import io.fleetkit.events.FleetkitException;
import io.fleetkit.keys.DeviceCertificateIssuer;
import io.fleetkit.keys.FleetKeys;
import io.fleetkit.keys.KeyPairs;
import io.fleetkit.keys.ServerCertificateIssuer;
import io.fleetkit.ota.bundle.PemKeys;
import io.fleetkit.ota.protocol.Topics;
import io.fleetkit.ota.server.broker.BrokerLink;
import io.fleetkit.ota.server.broker.BrokerTls;
import io.fleetkit.ota.server.broker.DesiredPublisher;
import io.fleetkit.ota.server.broker.EmbeddedBroker;
import io.fleetkit.ota.server.broker.TlsSockets;
import io.fleetkit.ota.server.bundles.BundleStore;
import io.fleetkit.ota.server.db.Database;
import io.fleetkit.ota.server.db.DeviceStore;
import io.fleetkit.ota.server.devices.BundleHttpServer;
import io.fleetkit.ota.server.devices.ChunkServer;
import io.fleetkit.ota.server.devices.DeviceMessages;
import io.fleetkit.ota.server.rollout.RolloutEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import org.eclipse.paho.client.mqttv3.MqttException;

/**
 * The fleet server: a broker (embedded Moquette, or an external one through {@code brokerUrl}), the
 * database, and the parts that act on device messages, answer chunk requests, run rollouts and
 * publish desired states. It keeps no state of its own: a new instance on the same database
 * carries on where the last one stopped.
 */
public final class FleetServer implements AutoCloseable {

    private final FleetServerConfig config;
    private final EventSink sink;
    private final Database db;
    private final BundleStore bundles;
    private final RolloutEngine engine;
    private final Topics topics;
    private final ExecutorService deviceWorker = Executors.newSingleThreadExecutor(daemon("fleet-devices"));
    private final ExecutorService chunkWorkers = Executors.newFixedThreadPool(2, daemon("fleet-chunks"));
    /** How often the embedded broker's session loops are checked. */
    private static final long BROKER_WATCH_SECONDS = 2;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(daemon("fleet-tick"));
    private EmbeddedBroker broker;
    private BrokerLink link;
    private DesiredPublisher publisher;
    private BundleHttpServer http;
    private String deviceUrl;
    private String bundleBaseUrl;

    private FleetServer(FleetServerConfig config, EventSink sink, Database db, BundleStore bundles) {
        this.config = config;
        this.sink = sink;
        this.db = db;
        this.bundles = bundles;
        this.engine = new RolloutEngine(db, config.clock(), sink);
        this.topics = new Topics(config.topicPrefix());
    }

    public static FleetServer start(FleetServerConfig config, EventSink sink) throws IOException, SQLException, MqttException {
        Files.createDirectories(config.dataDir());
        PublicKey signing = PemKeys.readPublicKey(requireFile(config.keyDir().resolve(FleetKeys.SIGNING_PUB)));
        Database db = Database.open(config.effectiveJdbcUrl());
        FleetServer server = new FleetServer(config, sink, db, new BundleStore(db, config.dataDir(), signing, config.clock(), sink));
        try {
            server.connect();
            server.ticker.scheduleWithFixedDelay(server::tickQuietly, 0, config.tickInterval().toMillis(), TimeUnit.MILLISECONDS);
            if (server.broker != null) {
                server.ticker.scheduleWithFixedDelay(server::watchBroker, BROKER_WATCH_SECONDS, BROKER_WATCH_SECONDS, TimeUnit.SECONDS);
            }
            return server;
        } catch (IOException | SQLException | MqttException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private void connect() throws IOException, MqttException, SQLException {
        String url = config.brokerUrl();
        SocketFactory sockets = null;
        if (url == null) {
            Optional<BrokerTls> tls = config.tlsPort() < 0 ? Optional.empty() : Optional.of(brokerTls());
            broker = EmbeddedBroker.start(config.listenHost(), config.listenPort(), EmbeddedBroker.DEFAULT_MAX_MESSAGE_BYTES, tls);
            if (broker.watchedLoops() == 0) {
                sink.warn("mqtt", "cannot find the embedded broker's session loops (not Moquette 0.17?); a loop that ends will not be noticed");
            }
            String host = config.listenHost().equals("0.0.0.0") || config.listenHost().equals("::") ? "127.0.0.1" : config.listenHost();
            url = "tcp://" + host + ":" + broker.port();
            deviceUrl = "tcp://" + config.listenHost() + ":" + broker.port();
        } else {
            if (url.startsWith("ssl://")) {
                FleetKeys keys = FleetKeys.load(config.keyDir());
                KeyPair pair = KeyPairs.ecP256();
                sockets = TlsSockets.client(pair.getPrivate(),
                        new DeviceCertificateIssuer(config.clock()).issue(keys, config.clientId(), pair.getPublic()), keys.caCertificate());
            } else if (!url.startsWith("tcp://")) {
                throw new FleetkitException("server.bad-broker-url", "broker URL " + url + " is neither tcp:// nor ssl://",
                        "Use e.g. --broker tcp://mqtt.example:1883");
            }
            deviceUrl = url;
        }
        if (config.httpPort() >= 0) {
            http = BundleHttpServer.start(config.listenHost(), config.httpPort(), bundles, sink);
            bundleBaseUrl = (config.httpUrl() != null ? config.httpUrl().replaceAll("/+$", "") : "http://" + advertisedHost() + ":" + http.port())
                    + BundleHttpServer.PATH;
            sink.info("server", "bundles served over HTTP at " + bundleBaseUrl);
        }
        ChunkServer chunks = new ChunkServer(bundles, sink);
        DeviceMessages messages = new DeviceMessages(db, engine, config.clock(), sink);
        link = BrokerLink.connect(url, config.clientId(), sockets, broker == null, topics.serverSubscriptions(),
                new MessageRouter(topics, messages, chunks, deviceWorker, chunkWorkers, this::publishChunk, this::onConnected), sink);
        publisher = new DesiredPublisher(db, link, topics, bundleBaseUrl, sink);
    }

    private String advertisedHost() throws IOException {
        String host = config.listenHost();
        return host.equals("0.0.0.0") || host.equals("::") ? java.net.InetAddress.getLocalHost().getHostName() : host;
    }

    private BrokerTls brokerTls() throws IOException {
        FleetKeys keys = FleetKeys.load(config.keyDir());
        KeyPair pair = KeyPairs.ecP256();
        List<String> names = List.of("localhost", "127.0.0.1", java.net.InetAddress.getLocalHost().getHostName());
        return new BrokerTls(config.tlsPort(), pair.getPrivate(),
                new ServerCertificateIssuer(config.clock()).issue(keys, names, pair.getPublic()), keys.caCertificate());
    }

    private void publishChunk(String deviceId, byte[] frame) throws Exception {
        link.publish(topics.chunkData(deviceId), frame, false);
    }

    private void onConnected(boolean reconnect) {
        try {
            // The broker may have lost its retained messages (a restart): send every desired state again.
            db.transaction(c -> {
                new DeviceStore().republishAll(c);
                return null;
            });
        } catch (SQLException e) {
            sink.warn("server", "could not mark desired states for republishing: " + e.getMessage());
        }
    }

    /**
     * Restarts the embedded broker when it has lost a session loop (see SessionLoops): the clients
     * routed to it, perhaps this server's own link, would otherwise stay cut off until a restart.
     */
    private void watchBroker() {
        try {
            List<String> ended = broker.restartIfLoopEnded();
            if (!ended.isEmpty()) {
                sink.warn("mqtt", "the embedded broker's " + String.join(", ", ended) + " ended (a Moquette 0.17 bug: an acknowledgement"
                        + " racing a disconnect), which cuts off every client routed to it; restarted the broker, clients reconnect");
            }
        } catch (IOException | RuntimeException e) {
            sink.warn("mqtt", "could not restart the embedded broker: " + e);
        }
    }

    private void tickQuietly() {
        try {
            tick();
        } catch (Exception e) {
            sink.warn("server", "rollout tick failed: " + e);
        }
    }

    /** One round of rollout work and desired-state publishing (the server does this every tick interval). */
    public synchronized void tick() throws SQLException, InterruptedException {
        engine.tick();
        publisher.flush();
    }

    /** Where devices connect: the embedded broker's address, or the external broker URL. */
    public String deviceBrokerUrl() {
        return deviceUrl;
    }

    /** Where devices download bundles over HTTP ({@code .../bundles/}), when the server serves them. */
    public Optional<String> bundleBaseUrl() {
        return Optional.ofNullable(bundleBaseUrl);
    }

    /** The port bundles are served on over HTTP, when they are. */
    public Optional<Integer> bundleHttpPort() {
        return Optional.ofNullable(http).map(BundleHttpServer::port);
    }

    public Optional<EmbeddedBroker> embeddedBroker() {
        return Optional.ofNullable(broker);
    }

    public Topics topics() {
        return topics;
    }

    public Database database() {
        return db;
    }

    public BundleStore bundles() {
        return bundles;
    }

    public RolloutEngine rollouts() {
        return engine;
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        if (link != null) {
            link.close();
        }
        deviceWorker.shutdown();
        chunkWorkers.shutdown();
        if (http != null) {
            http.close();
        }
        try {
            deviceWorker.awaitTermination(5, TimeUnit.SECONDS);
            chunkWorkers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (broker != null) {
            broker.close();
        }
        db.close();
    }

    private static Path requireFile(Path p) {
        if (!Files.isRegularFile(p)) {
            throw new FleetkitException("server.no-signing-key", "no " + p + ": the server verifies published bundles with it",
                    "Make the fleet's keys with `fleet keys init`, or pass --keys DIR.");
        }
        return p;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
