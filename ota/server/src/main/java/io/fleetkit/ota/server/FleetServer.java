package io.fleetkit.ota.server;

import io.fleetkit.events.EventSink;
import io.fleetkit.events.FleetkitException;
import io.fleetkit.keys.Certificates;
import io.fleetkit.keys.ServerKeys;
import io.fleetkit.ota.mqtt.MqttOptions;
import io.fleetkit.ota.protocol.Topics;
import io.fleetkit.ota.server.broker.BrokerLink;
import io.fleetkit.ota.server.broker.BrokerTls;
import io.fleetkit.ota.server.broker.DesiredPublisher;
import io.fleetkit.ota.server.broker.EmbeddedBroker;
import io.fleetkit.ota.server.broker.HostPort;
import io.fleetkit.ota.server.broker.PrivateDirectory;
import io.fleetkit.ota.server.broker.TlsSockets;
import io.fleetkit.ota.server.bundles.BundleStore;
import io.fleetkit.ota.server.db.Database;
import io.fleetkit.ota.server.db.DeviceStore;
import io.fleetkit.ota.server.db.RevocationStore;
import io.fleetkit.ota.server.devices.BundleHttpServer;
import io.fleetkit.ota.server.devices.ChunkRateLimit;
import io.fleetkit.ota.server.devices.ChunkServer;
import io.fleetkit.ota.server.devices.DeviceMessages;
import io.fleetkit.ota.server.devices.OfferedBundles;
import io.fleetkit.ota.server.logging.EventSinkAppender;
import io.fleetkit.ota.server.metrics.ServerCounters;
import io.fleetkit.ota.server.metrics.ServerMetrics;
import io.fleetkit.ota.server.rollout.RolloutEngine;
import io.fleetkit.ota.server.security.RevocationList;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The fleet server: a broker (embedded HiveMQ, or an external one through {@code brokerUrl}), the
 * database, and the parts that act on device messages, answer chunk requests, run rollouts and
 * publish desired states. It keeps no state of its own: a new instance on the same database
 * carries on where the last one stopped. It holds no private key but its own ({@link ServerKeys}).
 */
public final class FleetServer implements AutoCloseable {

    private final FleetServerConfig config;
    private final EventSink sink;
    private final Database db;
    private final BundleStore bundles;
    private final ServerKeys keys;
    private final RolloutEngine engine;
    private final Topics topics;
    private final RevocationList revocations = new RevocationList();
    /** The certificate each device last connected to the embedded broker with, to drop it when revoked. */
    private final Map<String, X509Certificate> admitted = new ConcurrentHashMap<>();
    private final ExecutorService deviceWorker = Executors.newSingleThreadExecutor(daemon("fleet-devices"));
    private final ExecutorService chunkWorkers = Executors.newFixedThreadPool(2, daemon("fleet-chunks"));
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(daemon("fleet-tick"));
    private final AutoCloseable logging;
    private EmbeddedBroker broker;
    private volatile BrokerLink link; // read by the metrics on the API's threads
    private DesiredPublisher publisher;
    private BundleHttpServer http;
    private io.fleetkit.ota.server.api.ApiServer api;
    private Database apiDb;
    private ServerMetrics metrics;
    private String deviceUrl;
    private String bundleBaseUrl;

    private FleetServer(FleetServerConfig config, EventSink sink, Database db, BundleStore bundles, ServerKeys keys, AutoCloseable logging) {
        this.config = config;
        this.sink = sink;
        this.db = db;
        this.bundles = bundles;
        this.keys = keys;
        this.logging = logging;
        this.engine = new RolloutEngine(db, config.clock(), sink);
        this.topics = new Topics(config.topicPrefix());
    }

    public static FleetServer start(FleetServerConfig config, EventSink sink) throws IOException, SQLException {
        io.fleetkit.ota.server.logging.LibraryLogging.configure();
        ServerKeys keys = ServerKeys.load(config.keyDir());
        PrivateDirectory.ensure(config.dataDir());
        AutoCloseable logging = EventSinkAppender.attach(sink);
        Database db;
        try {
            db = Database.open(config.effectiveJdbcUrl());
            PrivateFiles.restrict(config.dataDir());
        } catch (IOException | SQLException | RuntimeException e) {
            closeQuietly(logging);
            throw e;
        }
        FleetServer server = new FleetServer(config, sink, db, new BundleStore(db, config.dataDir(), keys.signingPublicKey(), config.clock(), sink),
                keys, logging);
        try {
            server.refreshRevocations();
            server.connect();
            server.ticker.scheduleWithFixedDelay(server::tickQuietly, 0, config.tickInterval().toMillis(), TimeUnit.MILLISECONDS);
            return server;
        } catch (IOException | SQLException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private void connect() throws IOException {
        MqttOptions options;
        if (config.brokerUrl() == null) {
            HostPort listen = config.listen();
            broker = EmbeddedBroker.start(config.dataDir().resolve("broker"),
                    new BrokerTls(listen.host(), listen.port(), keys.key(), keys.certificate(), keys.caCertificate()),
                    Optional.ofNullable(config.insecureListen()), keys.serverId(), topics, revocations, this::admitted, sink);
            options = MqttOptions.of(broker.localUrl(), keys.serverId()).withCredentials(keys.serverId(), broker.localPassword());
            deviceUrl = "ssl://" + advertisedHost(listen) + ":" + broker.tlsPort();
            if (config.insecureListen() != null) {
                sink.warn("server", "devices may also connect WITHOUT TLS or certificates on " + config.insecureListen().host() + ":"
                        + broker.insecurePort().orElse(-1) + " (--insecure-listen): anyone who reaches that port can speak for any device"
                        + " id. For labs only.");
            }
        } else {
            String url = config.brokerUrl();
            if (!url.startsWith("ssl://") && !url.startsWith("tcp://")) {
                throw new FleetkitException("server.bad-broker-url", "broker URL " + url + " is neither tcp:// nor ssl://",
                        "Use e.g. --broker ssl://mqtt.example:8883");
            }
            // a persistent session: the external broker keeps what devices send while the server is away
            options = MqttOptions.of(url, keys.serverId()).withCleanSession(false);
            if (url.startsWith("ssl://")) {
                options = options.withSocketFactory(TlsSockets.client(keys.key(), keys.certificate(), keys.caCertificate()));
            } else {
                sink.warn("server", "the broker " + url + " is reached without TLS: the server's identity and the devices' messages"
                        + " cross the network unprotected");
            }
            deviceUrl = url;
        }
        OfferedBundles offers = new OfferedBundles(db);
        if (config.apiPort() >= 0) {
            startApi(); // first: its metrics count what the parts started below do
        }
        ServerCounters counters = metrics == null ? ServerCounters.NONE : metrics.counters();
        if (config.httpPort() >= 0) {
            String host = config.listen().host();
            http = config.insecureHttp() ? BundleHttpServer.start(host, config.httpPort(), bundles, counters, sink)
                    : BundleHttpServer.startTls(host, config.httpPort(), TlsSockets.server(keys.key(), keys.certificate(), keys.caCertificate()),
                            bundles, offers, counters, sink);
            String scheme = config.insecureHttp() ? "http" : "https";
            bundleBaseUrl = (config.httpUrl() != null ? config.httpUrl().replaceAll("/+$", "")
                    : scheme + "://" + advertisedHost(config.listen()) + ":" + http.port()) + BundleHttpServer.PATH;
            sink.info("server", "bundles served over " + scheme.toUpperCase(java.util.Locale.ROOT) + " at " + bundleBaseUrl);
        }
        ChunkServer chunks = new ChunkServer(bundles, offers, ChunkRateLimit.defaults(), sink);
        DeviceMessages messages = new DeviceMessages(db, engine, config.clock(), sink);
        link = BrokerLink.connect(options, topics.serverSubscriptions(),
                new MessageRouter(topics, messages, chunks, deviceWorker, chunkWorkers, this::publishToDevice, this::onConnected, counters), counters,
                sink);
        publisher = new DesiredPublisher(db, link, topics, bundleBaseUrl, sink);
    }

    /**
     * The operators' API, on a database connection of its own (the server's one is busy with devices and the tick;
     * H2's AUTO_SERVER and PostgreSQL both take a second connection), with the server's certificate and no client
     * certificate (operators hold tokens, not fleet certificates).
     */
    private void startApi() throws IOException {
        try {
            apiDb = Database.open(config.effectiveJdbcUrl());
        } catch (SQLException e) {
            throw new IOException("the fleet database " + config.effectiveJdbcUrl() + ": " + e.getMessage(), e);
        }
        LocalFleetClient fleet = LocalFleetClient.onDatabase(apiDb, config.dataDir(), config.keyDir(), config.clock(), sink);
        metrics = new ServerMetrics(apiDb, () -> link != null && link.isConnected(), sink);
        api = io.fleetkit.ota.server.api.ApiServer.start(config.listen().host(), config.apiPort(),
                TlsSockets.context(keys.key(), keys.certificate(), keys.caCertificate()), fleet, apiDb, config.clock(), config.apiStreams(), metrics,
                sink);
        sink.info("server", "the operators' API is at https://" + advertisedHost(config.listen()) + ":" + api.port()
                + io.fleetkit.ota.server.api.ApiRoutes.BASE + "/, the web dashboard at https://" + advertisedHost(config.listen()) + ":"
                + api.port() + "/");
    }

    /** The port of the operators' API, when it is served. */
    public Optional<Integer> apiPort() {
        return Optional.ofNullable(api).map(io.fleetkit.ota.server.api.ApiServer::port);
    }

    private static String advertisedHost(HostPort listen) throws IOException {
        return listen.everyInterface() ? java.net.InetAddress.getLocalHost().getHostName() : listen.host();
    }

    private void publishToDevice(String topic, byte[] payload) throws Exception {
        link.publish(topic, payload, false);
    }

    /** The embedded broker admitted a device with {@code cert}: remember it, to show it and to drop it when revoked. */
    private void admitted(String deviceId, X509Certificate cert) {
        admitted.put(deviceId, cert);
        try {
            deviceWorker.execute(() -> {
                try {
                    db.transaction(c -> {
                        new DeviceStore().setCertificate(c, deviceId, Certificates.serialHex(cert), cert.getNotAfter().toInstant());
                        return null;
                    });
                } catch (SQLException e) {
                    sink.warn("server", "could not note the certificate of " + deviceId + ": " + e.getMessage());
                }
            });
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    private void onConnected(boolean reconnect) {
        engine.silenceCountsFromNow(); // devices' silence while the server could not hear them is not theirs
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

    /** Takes the database's revocations into the broker's list, and drops connected devices whose certificate is now revoked. */
    private void refreshRevocations() throws SQLException {
        revocations.replace(db.transaction(c -> new RevocationStore().list(c)));
        if (broker == null) {
            return;
        }
        for (Map.Entry<String, X509Certificate> e : admitted.entrySet()) {
            revocations.refusing(e.getKey(), e.getValue()).ifPresent(r -> {
                if (admitted.remove(e.getKey(), e.getValue()) && broker.disconnect(e.getKey())) {
                    sink.warn("server", "disconnected " + e.getKey() + ": its certificate is revoked (" + r.reason() + ")");
                }
            });
        }
    }

    private void tickQuietly() {
        try {
            tick();
        } catch (Exception e) {
            sink.warn("server", "rollout tick failed: " + e);
        }
    }

    /** One round of rollout work, desired-state publishing and revocations (the server does this every tick interval). */
    public synchronized void tick() throws SQLException, InterruptedException {
        engine.tick();
        publisher.flush();
        refreshRevocations();
    }

    /** Where devices connect: the embedded broker's TLS address, or the external broker URL. */
    public String deviceBrokerUrl() {
        return deviceUrl;
    }

    /** Where devices download bundles ({@code .../bundles/}), when the server serves them. */
    public Optional<String> bundleBaseUrl() {
        return Optional.ofNullable(bundleBaseUrl);
    }

    /** The port bundles are served on, when they are. */
    public Optional<Integer> bundleHttpPort() {
        return Optional.ofNullable(http).map(BundleHttpServer::port);
    }

    public Optional<EmbeddedBroker> embeddedBroker() {
        return Optional.ofNullable(broker);
    }

    /** This server's id: its MQTT client id and its certificate's CN. */
    public String serverId() {
        return keys.serverId();
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
        // Not shutdownNow: interrupting a tick in the middle of an H2 write closes the database file's channel
        // (NIO closes a channel on interrupt), and a server restarted in the same JVM then found the file closed
        // under its first COMMIT. A tick in progress finishes; no new one starts.
        ticker.shutdown();
        if (link != null) {
            link.close();
        }
        deviceWorker.shutdown();
        chunkWorkers.shutdown();
        if (http != null) {
            http.close();
        }
        if (api != null) {
            api.close();
        }
        if (metrics != null) {
            metrics.close();
        }
        if (apiDb != null) {
            apiDb.close();
        }
        try {
            ticker.awaitTermination(5, TimeUnit.SECONDS);
            deviceWorker.awaitTermination(5, TimeUnit.SECONDS);
            chunkWorkers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (broker != null) {
            broker.close();
        }
        db.close();
        closeQuietly(logging);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // nothing to do
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
