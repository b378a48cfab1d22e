package io.fleetkit.ota.server.broker;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import javax.net.ssl.SSLException;

/**
 * The in-process MQTT broker (Moquette): plain TCP on {@code host:port} and, optionally, TLS with
 * client certificates that must chain to the fleet CA. Retained messages and sessions live in
 * memory; the fleet server republishes every desired state when it (re)connects, so nothing is
 * lost when the broker restarts. Telemetry is off. Moquette 0.17 can lose one of its session loops
 * for good ({@link SessionLoops}); {@link #restartIfLoopEnded()} then restarts it in place.
 */
public final class EmbeddedBroker implements AutoCloseable {

    /** Fits a 16 MiB chunk frame plus MQTT headers. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = io.fleetkit.ota.protocol.ChunkFrame.MAX_FRAME + 64 * 1024;

    private final Properties properties;
    private final io.moquette.broker.ISslContextCreator ssl;
    private final int requestedPort;
    private volatile Server server;
    private volatile SessionLoops loops;
    private boolean closed;
    private boolean stopped; // by a restart whose start failed

    private EmbeddedBroker(Properties properties, io.moquette.broker.ISslContextCreator ssl, int requestedPort) {
        this.properties = properties;
        this.ssl = ssl;
        this.requestedPort = requestedPort;
    }

    public static EmbeddedBroker start(String host, int port, int maxMessageBytes, Optional<BrokerTls> tls) throws IOException {
        Properties p = new Properties();
        p.setProperty("host", host);
        p.setProperty("port", Integer.toString(port));
        p.setProperty("netty.mqtt.message_size", Integer.toString(maxMessageBytes));
        p.setProperty("allow_anonymous", "true");
        p.setProperty("allow_zero_byte_client_id", "true"); // MQTT 3.1.1 allows it; mosquitto_pub uses it
        p.setProperty("persistence_enabled", "false");
        p.setProperty("telemetry_enabled", "false");
        p.setProperty("session_queue_size", "65536");
        p.setProperty("buffer_flush_millis", "0");
        tls.ifPresent(t -> {
            p.setProperty("ssl_port", Integer.toString(t.port()));
            // Moquette checks these before it calls our context creator; the values are unused.
            p.setProperty("jks_path", "unused");
            p.setProperty("key_store_password", "unused");
            p.setProperty("key_manager_password", "unused");
        });
        io.moquette.broker.ISslContextCreator ssl = tls.<io.moquette.broker.ISslContextCreator>map(t -> () -> {
            try {
                return SslContextBuilder.forServer(t.key(), t.certificate(), t.ca())
                        .trustManager(t.ca()).clientAuth(ClientAuth.REQUIRE).build();
            } catch (SSLException e) {
                throw new IllegalStateException("TLS setup of the embedded broker failed", e);
            }
        }).orElse(null);
        EmbeddedBroker broker = new EmbeddedBroker(p, ssl, port);
        broker.startServer();
        return broker;
    }

    private void startServer() throws IOException {
        Server s = new Server();
        try {
            loops = SessionLoops.startedBy(() -> s.startServer(new MemoryConfig(properties), List.of(), ssl, null, null));
        } catch (IOException | RuntimeException e) {
            // Moquette starts its loops and Netty groups before it binds: a failed bind leaves them running
            try {
                s.stopServer();
            } catch (RuntimeException stopFailed) {
                e.addSuppressed(stopFailed);
            }
            throw e;
        }
        server = s;
    }

    /** How many session loops are watched (0 when this Moquette's loops cannot be recognised). */
    public int watchedLoops() {
        return loops.count();
    }

    /**
     * If a session loop has ended, stops the broker and starts it again on the same ports (every
     * client is disconnected and reconnects; the fleet server then republishes all desired states)
     * and returns the names of the loops that had ended; otherwise returns an empty list.
     */
    public synchronized List<String> restartIfLoopEnded() throws IOException {
        List<String> ended = loops.ended();
        if (ended.isEmpty() || closed) {
            return List.of(); // a closed broker's loops have ended too
        }
        // the same ports again, also where the OS had chosen them
        properties.setProperty("port", Integer.toString(port()));
        if (properties.containsKey("ssl_port")) {
            properties.setProperty("ssl_port", Integer.toString(server.getSslPort()));
        }
        if (!stopped) {
            server.stopServer();
            stopped = true;
        }
        startServer(); // if this fails (the port taken meanwhile), the next check tries again
        stopped = false;
        return ended;
    }

    /** The session loop a client id is routed to, as Moquette 0.17 routes it (for diagnostics, and tests that end one). */
    public Thread sessionLoopOf(String clientId) {
        return loops.routedTo(clientId);
    }

    /** The bound plain port (useful when 0 asked for any free port). */
    public int port() {
        if (requestedPort != 0) {
            return requestedPort;
        }
        // Moquette learns a port chosen by the OS from a listener that runs a little later.
        long end = System.nanoTime() + 5_000_000_000L;
        while (server.getPort() == 0 && System.nanoTime() < end) {
            Thread.onSpinWait();
        }
        return server.getPort();
    }

    public int tlsPort() {
        return server.getSslPort();
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (!stopped) {
            server.stopServer();
        }
    }
}
