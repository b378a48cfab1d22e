package io.fleetkit.ota.server;

import io.fleetkit.ota.protocol.Topics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * How `fleet server` runs. Defaults: data in {@code ./fleet-data} (bundles, and the H2 database
 * {@code fleet.mv.db} unless {@code jdbcUrl} is set), keys in {@code ./keys}, an embedded broker
 * on {@code 0.0.0.0:1883} unless {@code brokerUrl} ({@code tcp://} or {@code ssl://}) names an
 * external one, no TLS listener ({@code tlsPort} -1), prefix {@code fleet/v1}, a tick every second,
 * no HTTP bundle download ({@code httpPort} -1). {@code httpUrl} is the base URL devices use to
 * reach that HTTP port (e.g. {@code http://10.0.2.2:8080} under qemu); null means
 * {@code http://<listen host>:<http port>}.
 */
public record FleetServerConfig(Path dataDir, String jdbcUrl, String brokerUrl, String listenHost, int listenPort, int tlsPort,
                                Path keyDir, String topicPrefix, String clientId, Duration tickInterval, Clock clock,
                                int httpPort, String httpUrl) {

    public static FleetServerConfig defaults(Path dataDir) {
        return new FleetServerConfig(dataDir, null, null, "0.0.0.0", 1883, -1, Path.of("keys"), Topics.DEFAULT_PREFIX,
                "fleet-server", Duration.ofSeconds(1), Clock.systemUTC(), -1, null);
    }

    public FleetServerConfig withJdbcUrl(String url) {
        return new FleetServerConfig(dataDir, url, brokerUrl, listenHost, listenPort, tlsPort, keyDir, topicPrefix, clientId, tickInterval, clock, httpPort, httpUrl);
    }

    public FleetServerConfig withBrokerUrl(String url) {
        return new FleetServerConfig(dataDir, jdbcUrl, url, listenHost, listenPort, tlsPort, keyDir, topicPrefix, clientId, tickInterval, clock, httpPort, httpUrl);
    }

    public FleetServerConfig withListen(String host, int port) {
        return new FleetServerConfig(dataDir, jdbcUrl, brokerUrl, host, port, tlsPort, keyDir, topicPrefix, clientId, tickInterval, clock, httpPort, httpUrl);
    }

    public FleetServerConfig withTlsPort(int port) {
        return new FleetServerConfig(dataDir, jdbcUrl, brokerUrl, listenHost, listenPort, port, keyDir, topicPrefix, clientId, tickInterval, clock, httpPort, httpUrl);
    }

    public FleetServerConfig withKeyDir(Path dir) {
        return new FleetServerConfig(dataDir, jdbcUrl, brokerUrl, listenHost, listenPort, tlsPort, dir, topicPrefix, clientId, tickInterval, clock, httpPort, httpUrl);
    }

    public FleetServerConfig withTopicPrefix(String prefix) {
        return new FleetServerConfig(dataDir, jdbcUrl, brokerUrl, listenHost, listenPort, tlsPort, keyDir, prefix, clientId, tickInterval, clock, httpPort, httpUrl);
    }

    public FleetServerConfig withTickInterval(Duration d) {
        return new FleetServerConfig(dataDir, jdbcUrl, brokerUrl, listenHost, listenPort, tlsPort, keyDir, topicPrefix, clientId, d, clock, httpPort, httpUrl);
    }

    public FleetServerConfig withClock(Clock c) {
        return new FleetServerConfig(dataDir, jdbcUrl, brokerUrl, listenHost, listenPort, tlsPort, keyDir, topicPrefix, clientId, tickInterval, c, httpPort, httpUrl);
    }

    /** Serves published bundles over HTTP on {@code port} (0: any free port), advertised to devices as {@code url} (null: derived). */
    public FleetServerConfig withHttp(int port, String url) {
        return new FleetServerConfig(dataDir, jdbcUrl, brokerUrl, listenHost, listenPort, tlsPort, keyDir, topicPrefix, clientId, tickInterval, clock,
                port, url);
    }

    /** The JDBC URL in effect: the given one, or H2 in the data directory. */
    public String effectiveJdbcUrl() {
        return jdbcUrl != null ? jdbcUrl : io.fleetkit.ota.server.db.Database.h2Url(dataDir);
    }
}
