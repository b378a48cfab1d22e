package io.fleetkit.cli;

import io.fleetkit.events.UsageException;
import io.fleetkit.ota.server.FleetServer;
import io.fleetkit.ota.server.FleetServerConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "server",
        description = {
            "Run the fleet server: MQTT broker, database, chunk serving and rollouts.",
            "",
            "Run the fleet server until interrupted: an MQTT broker (embedded, or --broker for an external one),",
            "the database (H2 in the data directory, or --db), bundle chunk serving and rollouts.",
            "The other fleet commands work on the same --data/--db while it runs.",
            "",
            "Example: fleet server --data ./fleet-data --keys ./keys --listen 0.0.0.0:1883"
        })
public final class ServerCommand implements Callable<Integer> {

    @Mixin
    FleetDataOptions fleet;

    @Option(names = "--broker", paramLabel = "URL", description = "External broker (tcp://host:1883 or ssl://host:8883) instead of the embedded one.")
    String broker;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "0.0.0.0:1883",
            description = "Where the embedded broker listens (default: ${DEFAULT-VALUE}).")
    String listen;

    @Option(names = "--tls-port", paramLabel = "PORT", defaultValue = "-1",
            description = "Also listen with TLS here; clients must present a certificate from the fleet CA.")
    int tlsPort;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "-1",
            description = "Also serve published bundles over HTTP (Range requests) on this port; desired updates then carry the bundle's url.")
    int httpPort;

    @Option(names = "--http-url", paramLabel = "URL",
            description = "The base URL devices reach that HTTP port at (e.g. http://10.0.2.2:8080 under qemu); default http://<listen host>:<http port>.")
    String httpUrl;

    @Option(names = "--prefix", paramLabel = "TOPICS", defaultValue = "fleet/v1", description = "Topic prefix (default: ${DEFAULT-VALUE}).")
    String prefix;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        int colon = listen.lastIndexOf(':');
        int port;
        try {
            port = Integer.parseInt(listen.substring(colon + 1));
        } catch (RuntimeException e) {
            throw new UsageException("server.bad-listen", "--listen " + listen + " is not HOST:PORT", "Use e.g. --listen 0.0.0.0:1883.");
        }
        FleetServerConfig config = FleetServerConfig.defaults(fleet.dataDir()).withJdbcUrl(fleet.db).withBrokerUrl(broker)
                .withListen(colon > 0 ? listen.substring(0, colon) : "0.0.0.0", port).withTlsPort(tlsPort)
                .withKeyDir(fleet.keys).withTopicPrefix(prefix).withHttp(httpPort, httpUrl);
        CountDownLatch stop = new CountDownLatch(1);
        try (FleetServer server = FleetServer.start(config, output.events())) {
            Thread hook = new Thread(stop::countDown, "fleet-server-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            if (output.json) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("broker", server.deviceBrokerUrl());
                doc.put("tlsPort", tlsPort);
                doc.put("database", config.effectiveJdbcUrl());
                doc.put("data", fleet.dataDir().toAbsolutePath().toString());
                doc.put("prefix", prefix);
                doc.put("bundles", server.bundleBaseUrl().orElse(null));
                output.printJson(doc);
            } else {
                output.out().printf("fleet server: devices connect to %s%s (topics %s/...)%n", server.deviceBrokerUrl(),
                        tlsPort >= 0 ? " and TLS port " + tlsPort : "", prefix);
                output.out().printf("  database %s%n  data     %s%n", config.effectiveJdbcUrl(), fleet.dataDir().toAbsolutePath());
                server.bundleBaseUrl().ifPresent(u -> output.out().printf("  bundles  %s<sha256> (HTTP)%n", u));
                output.out().println("Press Ctrl-C to stop.");
                output.out().flush();
            }
            stop.await();
        }
        return 0;
    }
}
