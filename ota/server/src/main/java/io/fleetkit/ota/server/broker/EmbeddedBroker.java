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
 * lost when the broker restarts. Telemetry is off.
 */
public final class EmbeddedBroker implements AutoCloseable {

    /** Fits a 16 MiB chunk frame plus MQTT headers. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = io.fleetkit.ota.protocol.ChunkFrame.MAX_FRAME + 64 * 1024;

    private final Server server;
    private final int requestedPort;

    private EmbeddedBroker(Server server, int requestedPort) {
        this.server = server;
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
        Server server = new Server();
        io.moquette.broker.ISslContextCreator ssl = tls.<io.moquette.broker.ISslContextCreator>map(t -> () -> {
            try {
                return SslContextBuilder.forServer(t.key(), t.certificate(), t.ca())
                        .trustManager(t.ca()).clientAuth(ClientAuth.REQUIRE).build();
            } catch (SSLException e) {
                throw new IllegalStateException("TLS setup of the embedded broker failed", e);
            }
        }).orElse(null);
        server.startServer(new MemoryConfig(p), List.of(), ssl, null, null);
        return new EmbeddedBroker(server, port);
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
    public void close() {
        server.stopServer();
    }
}
