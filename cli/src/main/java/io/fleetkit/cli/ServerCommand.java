package io.fleetkit.cli;

import io.fleetkit.ota.server.FleetServer;
import io.fleetkit.ota.server.FleetServerConfig;
import io.fleetkit.ota.server.broker.HostPort;
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
            "Devices connect with TLS and their fleet certificate (the CN is the device id); each may publish and",
            "subscribe only under its own id. --keys needs only ca.crt, server.crt, server.key (`fleet keys",
            "issue-server`) and signing.pub: the CA and signing keys stay on the build machine.",
            "The other fleet commands work on the same --data/--db while it runs.",
            "",
            "With --api-port, operators and scripts reach the fleet over HTTPS with API tokens (docs/api.md), and",
            "browsers find the web dashboard at https://HOST:PORT/ on the same port (docs/dashboard.md), and",
            "Prometheus the metrics at /metrics with a viewer token (docs/metrics.md).",
            "",
            "Example: fleet server --data ./fleet-data --keys ./server-keys --listen 0.0.0.0:8883 --api-port 8443"
        },
        subcommands = {ServerBrokerConfigCommand.class})
public final class ServerCommand implements Callable<Integer> {

    @Mixin
    FleetDataOptions fleet;

    @Option(names = "--broker", paramLabel = "URL", description = "External broker (ssl://host:8883, or tcp:// in a lab) instead of the embedded one.")
    String broker;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "0.0.0.0:8883",
            description = "Where devices connect to the embedded broker, with TLS and client certificates (default: ${DEFAULT-VALUE}).")
    String listen;

    @Option(names = "--insecure-listen", paramLabel = "HOST:PORT",
            description = "Also accept devices WITHOUT TLS or certificates here (anyone can claim any device id): labs only.")
    String insecureListen;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "-1",
            description = "Also serve bundles over HTTPS (client certificates, Range requests) on this port; desired updates then carry the bundle's url.")
    int httpPort;

    @Option(names = "--http-url", paramLabel = "URL",
            description = "The base URL devices reach that port at (e.g. https://10.0.2.2:8443 under qemu); default https://<listen host>:<http port>.")
    String httpUrl;

    @Option(names = "--insecure-http", description = "Serve --http-port as plain HTTP to anyone (labs only).")
    boolean insecureHttp;

    @Option(names = "--api-port", paramLabel = "PORT", defaultValue = "-1",
            description = "Serve the operators' HTTPS API under /api/v1/, the web dashboard at / and Prometheus metrics at /metrics on this port (server certificate; bearer tokens from `fleet token create`; docs/api.md).")
    int apiPort;

    @Option(names = "--prefix", paramLabel = "TOPICS", defaultValue = "fleet/v1", description = "Topic prefix (default: ${DEFAULT-VALUE}).")
    String prefix;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        HostPort devices = HostPort.parse(listen, "--listen");
        FleetServerConfig config = FleetServerConfig.defaults(fleet.dataDir()).withJdbcUrl(fleet.db).withBrokerUrl(broker)
                .withListen(devices.host(), devices.port()).withKeyDir(fleet.keys).withTopicPrefix(prefix);
        if (insecureListen != null) {
            HostPort plain = HostPort.parse(insecureListen, "--insecure-listen");
            config = config.withInsecureListen(plain.host(), plain.port());
        }
        config = insecureHttp ? config.withInsecureHttp(httpPort, httpUrl) : config.withHttp(httpPort, httpUrl);
        config = config.withApi(apiPort);
        CountDownLatch stop = new CountDownLatch(1);
        try (FleetServer server = FleetServer.start(config, output.events())) {
            Thread hook = new Thread(stop::countDown, "fleet-server-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            String plain = server.embeddedBroker().flatMap(b -> b.insecurePort()).map(p -> insecureListen.replaceAll(":\\d+$", ":" + p)).orElse(null);
            if (output.json) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("broker", server.deviceBrokerUrl());
                doc.put("insecure", plain == null ? null : "tcp://" + plain);
                doc.put("serverId", server.serverId());
                doc.put("database", config.effectiveJdbcUrl());
                doc.put("data", fleet.dataDir().toAbsolutePath().toString());
                doc.put("prefix", prefix);
                doc.put("bundles", server.bundleBaseUrl().orElse(null));
                doc.put("apiPort", server.apiPort().orElse(null));
                output.printJson(doc);
            } else {
                output.out().printf("fleet server %s: devices connect to %s with their fleet certificates (topics %s/...)%n", server.serverId(),
                        server.deviceBrokerUrl(), prefix);
                if (plain != null) {
                    output.out().printf("  WARNING: also tcp://%s without TLS or certificates (--insecure-listen): for labs only%n", plain);
                }
                output.out().printf("  database %s%n  data     %s%n", config.effectiveJdbcUrl(), fleet.dataDir().toAbsolutePath());
                server.bundleBaseUrl().ifPresent(u -> output.out().printf("  bundles  %s<sha256>%n", u));
                server.apiPort().ifPresent(p -> output.out().printf("  api      https://<this host>:%d/api/v1/ (tokens: fleet token create)%n", p));
                output.out().println("Press Ctrl-C to stop.");
                output.out().flush();
            }
            stop.await();
        }
        return 0;
    }
}
