package io.fleetkit.devicetests.simulated;

import io.fleetkit.events.EventSink;
import io.fleetkit.keys.FleetKeys;
import io.fleetkit.ota.bundle.BundleRelease;
import io.fleetkit.ota.bundle.BundleWriter;
import io.fleetkit.ota.server.FleetServer;
import io.fleetkit.ota.server.FleetServerConfig;
import io.fleetkit.ota.server.bundles.PublishedBundle;
import io.fleetkit.testsupport.Mosquitto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * The OTA benchmark (a program, not a test). From /work/main:
 * <pre>
 * mvn -B -o -q -pl device-tests test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * cd device-tests &amp;&amp; java -cp "$(cat target/cp.txt):target/test-classes:target/classes" \
 *     io.fleetkit.devicetests.simulated.OtaBenchmark [DEVICES (default 1000)] [rollout|transfer (only those)]
 * </pre>
 * Prints: payload throughput of a 64 MiB slot over MQTT chunks (embedded broker, and Mosquitto)
 * vs plain HTTP on loopback, both checking every chunk; install (verify + write through the
 * agent's SlotWriter) vs a plain sequential write of the same bytes, the read-back pass on its own
 * line; a rollout of v2 across DEVICES real agents with ~64 KiB slots (time to all committed,
 * the server's heap, messages per second), with the server's embedded broker and with Mosquitto. The ota-server module's own benchmark
 * (io.fleetkit.ota.server.OtaBenchmark) does the same rollout with protocol-level fake devices.
 */
public final class OtaBenchmark {

    private static final int SLOT = 64 << 20;
    private static final int CHUNK = 1 << 20;

    private OtaBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int devices = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        Path tmp = Files.createTempDirectory("fleet-ota-bench");
        List<String[]> rows = new ArrayList<>();
        String only = args.length > 1 ? args[1] : "all";
        if (!only.equals("rollout")) {
            transferAndInstall(tmp, rows);
        }
        if (!only.equals("transfer")) {
            rollouts(tmp, devices, rows);
        }
        print(rows);
        System.exit(0);
    }

    private static void transferAndInstall(Path tmp, List<String[]> rows) throws Exception {
        FleetKeys keys = FleetKeys.init(tmp.resolve("keys"), Clock.systemUTC());
        io.fleetkit.keys.ServerKeys.issue(keys, tmp.resolve("keys"), io.fleetkit.ota.protocol.ServerIds.DEFAULT,
                List.of("localhost", "127.0.0.1"), java.time.Duration.ofDays(1), false, Clock.systemUTC());
        PublicKey key = keys.signingKey().publicKey();
        Path bundle = bigBundle(tmp, keys);
        double http = best(() -> TransferBench.http(bundle, key));
        // devices on TLS with their certificates (the default) and, for comparison, on a plain listener (--insecure-listen)
        int plainPort = Mosquitto.freePort();
        try (FleetServer server = FleetServer.start(FleetServerConfig.defaults(tmp.resolve("data-transfer")).withKeyDir(tmp.resolve("keys"))
                .withListen("127.0.0.1", Mosquitto.freePort()).withInsecureListen("127.0.0.1", plainPort).withHttp(0, null), EventSink.NONE)) {
            PublishedBundle b = server.bundles().publish(bundle, Optional.empty());
            String url = server.bundleBaseUrl().orElseThrow().replace(java.net.InetAddress.getLocalHost().getHostName(), "127.0.0.1")
                    + b.sha256();
            offer(server, "bench-https", b.sha256());
            rows.add(row("fleet server HTTPS port (client certificate), Range requests as the agent makes them",
                    best(() -> TransferBench.fleetHttp(url, b, key, deviceTls(keys, "bench-https"))), http));
            for (int window : new int[] {4, 8, 16}) {
                double tls = best(() -> TransferBench.mqtt(server.deviceBrokerUrl(), b, key, window, id -> {
                    offer(server, id, b.sha256());
                    return deviceTls(keys, id);
                }));
                double plain = best(() -> TransferBench.mqtt("tcp://127.0.0.1:" + plainPort, b, key, window, id -> {
                    offer(server, id, b.sha256());
                    return null;
                }));
                rows.add(row("MQTT chunks, embedded HiveMQ, TLS, 1 MiB chunks, window " + window, tls, http));
                rows.add(new String[] {"  the same over plain TCP (--insecure-listen); TLS / plain",
                        String.format("%.0f MiB/s; %.0f%%", plain, 100 * tls / plain)});
            }
        }
        try (Mosquitto mosquitto = Mosquitto.start(tmp.resolve("mosquitto"));
             FleetServer server = FleetServer.start(FleetServerConfig.defaults(tmp.resolve("data-mosquitto")).withKeyDir(tmp.resolve("keys"))
                     .withBrokerUrl(mosquitto.url()), EventSink.NONE)) {
            PublishedBundle b = server.bundles().publish(bundle, Optional.empty());
            for (int window : new int[] {4, 8, 16}) {
                rows.add(row("MQTT chunks via Mosquitto (plain TCP), window " + window, best(() -> TransferBench.mqtt(mosquitto.url(), b, key, window,
                        id -> {
                            offer(server, id, b.sha256());
                            return null;
                        })), http));
            }
        }
        rows.add(new String[] {"HTTP (JDK HttpServer + HttpClient), same bytes and checks", String.format("%.0f MiB/s", http)});
        System.err.println("transfer done");
        if (TransferBench.RERUNS.get() > 0) {
            rows.add(new String[] {"MQTT runs repeated after losing the broker", Integer.toString(TransferBench.RERUNS.get())});
        }
        try {
            install(tmp, bundle, key, rows);
        } catch (Exception | LinkageError e) {
            rows.add(new String[] {"install", "FAILED: " + e});
        }
    }

    private static void install(Path tmp, Path bundle, PublicKey key, List<String[]> rows) throws Exception {
        InstallBench.Result install = InstallBench.run(tmp, bundle, key);
        rows.add(new String[] {"install: verify + write (the agent's state machine, " + (Long.getLong("bench.syncBytes",
                io.fleetkit.ota.agent.AgentConfig.DEFAULT_SYNC_BYTES) >> 20) + " MiB checkpoints)", String.format("%.0f MiB/s (%.0f%% of plain)",
                install.install(), 100 * install.install() / install.plainOneFsync())});
        rows.add(new String[] {"  the same with a checkpoint after every 1 MiB chunk", String.format("%.0f MiB/s (%.0f%% of plain)",
                install.installCheckpointPerChunk(), 100 * install.installCheckpointPerChunk() / install.plainOneFsync())});
        rows.add(new String[] {"  verify alone (SHA-256 of each chunk)", String.format("%.0f MiB/s", install.verifyOnly())});
        rows.add(new String[] {"  plain sequential write, one fsync at the end", String.format("%.0f MiB/s", install.plainOneFsync())});
        rows.add(new String[] {"  plain sequential write, fsync per 1 MiB", String.format("%.0f MiB/s", install.plainFsyncPerChunk())});
        rows.add(new String[] {"read-back pass (SlotWriter.verifySlot, from the disk with O_DIRECT)", String.format("%.0f MiB/s", install.readBack())});
        Files.deleteIfExists(bundle);
        System.err.println("install done");
    }

    private static void rollouts(Path tmp, int devices, List<String[]> rows) {

        String brokers = System.getProperty("bench.brokers", "both"); // embedded | mosquitto | both
        for (boolean mosquitto : new boolean[] {false, true}) {
            if (!brokers.equals("both") && brokers.equals("mosquitto") != mosquitto) {
                continue;
            }
            String broker = mosquitto ? "Mosquitto, plain TCP" : "embedded HiveMQ, TLS";
            try {
                RolloutBench.Result r = RolloutBench.run(Files.createDirectories(tmp.resolve("rollout-" + mosquitto)), devices, mosquitto);
                rows.add(new String[] {r.devices() + " real agents connected and reported v1 (" + broker + ")",
                        String.format("%.1f s", r.connectSecs())});
                rows.add(new String[] {"  rollout (1,10%,50%,100%) until all COMMITTED", String.format("%.1f s", r.rolloutSecs())});
                rows.add(new String[] {"  messages through the broker", String.format("%d, %.0f msg/s", r.messages(),
                        r.messages() / r.rolloutSecs())});
                rows.add(new String[] {"  server heap used: peak sampled / after full GC", String.format("%d MiB / %d MiB",
                        r.peakHeap() >> 20, r.heapAfterGc() >> 20)});
                rows.add(new String[] {"  server process RSS, peak", String.format("%d MiB", r.peakRssKiB() >> 10)});
            } catch (Exception | AssertionError e) {
                rows.add(new String[] {devices + " real agents (" + broker + ")", "FAILED: " + e.getMessage().lines().findFirst().orElse("")});
            }
            System.err.println("rollout via " + broker + " done");
        }
    }

    /** Offers the bundle to {@code deviceId} as a rollout would, so the server answers its chunk requests. */
    private static void offer(FleetServer server, String deviceId, String sha256) throws Exception {
        long now = System.currentTimeMillis();
        server.database().transaction(c -> io.fleetkit.ota.server.db.Sql.update(c, "INSERT INTO rollout_devices (rollout_id, device_id, phase,"
                + " bundle_sha256, state, offered_at, updated_at) VALUES ('bench', ?, 0, ?, 'OFFERED', ?, ?)", deviceId, sha256, now, now));
    }

    /** TLS with a fresh certificate for {@code deviceId} from the fleet CA, as a provisioned device has. */
    private static javax.net.ssl.SSLSocketFactory deviceTls(FleetKeys keys, String deviceId) {
        java.security.KeyPair pair = io.fleetkit.keys.KeyPairs.ecP256();
        return io.fleetkit.ota.server.broker.TlsSockets.client(pair.getPrivate(),
                new io.fleetkit.keys.DeviceCertificateIssuer(Clock.systemUTC()).issue(keys, deviceId, pair.getPublic()), keys.caCertificate());
    }

    private static void print(List<String[]> rows) {
        System.out.println();
        System.out.printf("%-62s %s%n", "measurement", "result");
        for (String[] row : rows) {
            System.out.printf("%-62s %s%n", row[0], row[1]);
        }
    }

    private static Path bigBundle(Path tmp, FleetKeys keys) throws Exception {
        byte[] slot = new byte[SLOT];
        new Random(64).nextBytes(slot);
        Path slotFile = Files.write(tmp.resolve("slot-64m.img"), slot);
        Path b = BundleWriter.writeFile(BundleRelease.of("gateway", "3.0.0", SimulatedDevice.BOARD, 3_000_000_000_009_999L,
                Instant.now().minusSeconds(60)).withChunkSize(CHUNK), slotFile, keys.signingKey(), Files.createDirectories(tmp.resolve("out")));
        Files.delete(slotFile);
        return b;
    }

    private static String[] row(String what, double mibs, double http) {
        return new String[] {what, String.format("%.0f MiB/s (%.0f%% of HTTP)", mibs, 100 * mibs / http)};
    }

    private static double best(BestOfThree.Run<Double> m) throws Exception {
        double best = BestOfThree.rate(m);
        System.err.printf("  measured %.0f MiB/s%n", best);
        return best;
    }
}
