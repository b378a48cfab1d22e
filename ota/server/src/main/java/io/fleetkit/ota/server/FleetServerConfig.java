package io.fleetkit.ota.server;

import io.fleetkit.ota.protocol.Topics;
import io.fleetkit.ota.server.api.StreamCadence;
import io.fleetkit.ota.server.broker.HostPort;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * How `fleet server` runs. Defaults: data in {@code ./fleet-data} (bundles, and the H2 database
 * {@code fleet.mv.db} unless {@code jdbcUrl} is set), keys in {@code ./keys} (the server's files only:
 * {@code ca.crt}, {@code server.crt}, {@code server.key}, {@code signing.pub}), an embedded broker whose
 * devices connect with TLS and their fleet certificates on {@code listen} ({@code 0.0.0.0:8883}) unless
 * {@code brokerUrl} ({@code tcp://} or {@code ssl://}) names an external one, no plain listener
 * ({@code insecureListen} null: only for labs), prefix {@code fleet/v1}, a tick every second, no bundle
 * download port ({@code httpPort} -1; with one, HTTPS with client certificates unless {@code insecureHttp}).
 * {@code httpUrl} is the base URL devices use to reach that port (e.g. {@code https://10.0.2.2:8443} under
 * qemu); null means {@code https://<listen host>:<http port>}. {@code apiPort}: the operators' HTTPS API (token
 * authentication, the server's certificate) on its own port, -1 (default) for none; {@code apiStreams} times its event
 * streams ({@link StreamCadence#DEFAULT}; tests shorten it).
 */
public record FleetServerConfig(Path dataDir, String jdbcUrl, String brokerUrl, HostPort listen, HostPort insecureListen,
                                Path keyDir, String topicPrefix, Duration tickInterval, Clock clock,
                                int httpPort, String httpUrl, boolean insecureHttp, int apiPort,
                                StreamCadence apiStreams) {

    /** Where devices connect by default: MQTT over TLS. */
    public static final int DEFAULT_PORT = 8883;

    public static FleetServerConfig defaults(Path dataDir) {
        return new FleetServerConfig(dataDir, null, null, new HostPort("0.0.0.0", DEFAULT_PORT), null, Path.of("keys"), Topics.DEFAULT_PREFIX,
                Duration.ofSeconds(1), Clock.systemUTC(), -1, null, false, -1, StreamCadence.DEFAULT);
    }

    public FleetServerConfig withJdbcUrl(String url) {
        return new FleetServerConfig(dataDir, url, brokerUrl, listen, insecureListen, keyDir, topicPrefix, tickInterval, clock, httpPort, httpUrl, insecureHttp, apiPort, apiStreams);
    }

    public FleetServerConfig withBrokerUrl(String url) {
        return new FleetServerConfig(dataDir, jdbcUrl, url, listen, insecureListen, keyDir, topicPrefix, tickInterval, clock, httpPort, httpUrl, insecureHttp, apiPort, apiStreams);
    }

    /** Where devices connect to the embedded broker with TLS. */
    public FleetServerConfig withListen(String host, int port) {
        return new FleetServerConfig(dataDir, jdbcUrl, brokerUrl, new HostPort(host, port), insecureListen, keyDir, topicPrefix, tickInterval,
                clock, httpPort, httpUrl, insecureHttp, apiPort, apiStreams);
    }

    /** Also a plain-text listener for devices (no certificates: labs only; the server warns). */
    public FleetServerConfig withInsecureListen(String host, int port) {
        return new FleetServerConfig(dataDir, jdbcUrl, brokerUrl, listen, new HostPort(host, port), keyDir, topicPrefix, tickInterval,
                clock, httpPort, httpUrl, insecureHttp, apiPort, apiStreams);
    }

    public FleetServerConfig withKeyDir(Path dir) {
        return new FleetServerConfig(dataDir, jdbcUrl, brokerUrl, listen, insecureListen, dir, topicPrefix, tickInterval, clock, httpPort, httpUrl, insecureHttp, apiPort, apiStreams);
    }

    public FleetServerConfig withTopicPrefix(String prefix) {
        return new FleetServerConfig(dataDir, jdbcUrl, brokerUrl, listen, insecureListen, keyDir, prefix, tickInterval, clock, httpPort, httpUrl, insecureHttp, apiPort, apiStreams);
    }

    public FleetServerConfig withTickInterval(Duration d) {
        return new FleetServerConfig(dataDir, jdbcUrl, brokerUrl, listen, insecureListen, keyDir, topicPrefix, d, clock, httpPort, httpUrl, insecureHttp, apiPort, apiStreams);
    }

    public FleetServerConfig withClock(Clock c) {
        return new FleetServerConfig(dataDir, jdbcUrl, brokerUrl, listen, insecureListen, keyDir, topicPrefix, tickInterval, c, httpPort, httpUrl, insecureHttp, apiPort, apiStreams);
    }

    /** Serves bundles to devices over HTTPS on {@code port} (0: any free port), advertised to devices as {@code url} (null: derived). */
    public FleetServerConfig withHttp(int port, String url) {
        return new FleetServerConfig(dataDir, jdbcUrl, brokerUrl, listen, insecureListen, keyDir, topicPrefix, tickInterval, clock, port, url, false, apiPort, apiStreams);
    }

    /** The same over plain HTTP, every published bundle to anyone: labs and tests only. */
    public FleetServerConfig withInsecureHttp(int port, String url) {
        return new FleetServerConfig(dataDir, jdbcUrl, brokerUrl, listen, insecureListen, keyDir, topicPrefix, tickInterval, clock, port, url, true, apiPort, apiStreams);
    }

    /** Serves the operators' HTTPS API under /api/v1/ on {@code port} (0: any free port; -1: none), on the listen host. */
    public FleetServerConfig withApi(int port) {
        return new FleetServerConfig(dataDir, jdbcUrl, brokerUrl, listen, insecureListen, keyDir, topicPrefix, tickInterval, clock, httpPort, httpUrl,
                insecureHttp, port, apiStreams);
    }

    /** Times the API's event streams (poll, heartbeat, lifetime): tests shorten them; servers keep the default. */
    public FleetServerConfig withApiStreams(StreamCadence cadence) {
        return new FleetServerConfig(dataDir, jdbcUrl, brokerUrl, listen, insecureListen, keyDir, topicPrefix, tickInterval, clock, httpPort, httpUrl,
                insecureHttp, apiPort, cadence);
    }

    /** The JDBC URL in effect: the given one, or H2 in the data directory. */
    public String effectiveJdbcUrl() {
        return jdbcUrl != null ? jdbcUrl : io.fleetkit.ota.server.db.Database.h2Url(dataDir);
    }
}
