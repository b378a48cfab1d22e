package io.fleetkit.ota.server;

import com.sun.net.httpserver.HttpServer;
import io.fleetkit.events.EventSink;
import io.fleetkit.ota.bundle.BundleReader;
import io.fleetkit.ota.bundle.ChunkVerifier;
import io.fleetkit.ota.bundle.VerifiedManifest;
import io.fleetkit.ota.keys.FleetKeys;
import io.fleetkit.ota.protocol.ChunkFrame;
import io.fleetkit.ota.protocol.ChunkPart;
import io.fleetkit.ota.protocol.ChunkRequest;
import io.fleetkit.ota.protocol.Topics;
import io.fleetkit.ota.server.bundles.PublishedBundle;
import io.fleetkit.ota.server.rollout.Rollout;
import io.fleetkit.ota.server.rollout.RolloutRequest;
import io.fleetkit.ota.server.rollout.RolloutState;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Benchmark, not a test (run on demand):
 * {@code mvn -o -pl ota/server test-compile exec:java} is not wired; run with
 * {@code java -cp "$(cat cp.txt):ota/server/target/classes:ota/server/target/test-classes" io.fleetkit.ota.server.OtaBenchmark [devices]}.
 * Prints (1) payload throughput of a 64 MiB bundle over MQTT chunks through the embedded broker
 * vs plain HTTP from the JDK's HttpServer on loopback, both verifying every chunk; (2) a rollout of
 * 1,000 simulated devices (raw Paho clients) through the embedded broker, with the server in its
 * own process: time to all committed, the server's resident memory, messages per second.
 */
public final class OtaBenchmark {

    private OtaBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int devices = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        Path tmp = Files.createTempDirectory("fleet-bench");
        FleetKeys keys = TestFleet.keys(tmp);
        List<String[]> rows = new ArrayList<>();
        if (!List.of(args).contains("--rollout-only")) {
            transfer(tmp, keys, rows);
        }
        rollout(tmp, keys, devices, rows);
        System.out.println();
        System.out.printf("%-44s %s%n", "measurement", "result");
        for (String[] r : rows) {
            System.out.printf("%-44s %s%n", r[0], r[1]);
        }
    }

    static void transfer(Path tmp, FleetKeys keys, List<String[]> rows) throws Exception {
        int size = 64 * 1024 * 1024;
        Path bundle = TestFleet.bundle(tmp, keys, "3.0.0", 3_000_000, TestFleet.BOARD, size, 1024 * 1024);
        FleetServerConfig config = FleetServerConfig.defaults(tmp.resolve("data-transfer")).withKeyDir(tmp.resolve("keys"))
                .withListen("127.0.0.1", Mosquitto.freePort());
        try (FleetServer server = FleetServer.start(config, EventSink.NONE)) {
            PublishedBundle b = server.bundles().publish(bundle, Optional.empty());
            mqttDownload(server.deviceBrokerUrl(), b, keys.signingKey().publicKey(), 4); // warm-up
            for (int window : new int[] {4, 8}) {
                double best = 0;
                for (int i = 0; i < 3; i++) {
                    best = Math.max(best, mqttDownload(server.deviceBrokerUrl(), b, keys.signingKey().publicKey(), window));
                }
                rows.add(new String[] {"MQTT chunks, 64 MiB, 1 MiB chunks, window " + window, String.format("%.0f MiB/s (best of 3)", best)});
            }
        }
        try (Mosquitto mosquitto = Mosquitto.start(tmp);
             FleetServer server = FleetServer.start(config.withBrokerUrl(mosquitto.url()), EventSink.NONE)) {
            PublishedBundle b = server.bundles().publish(bundle, Optional.empty());
            mqttDownload(mosquitto.url(), b, keys.signingKey().publicKey(), 4);
            double best = 0;
            for (int i = 0; i < 3; i++) {
                best = Math.max(best, mqttDownload(mosquitto.url(), b, keys.signingKey().publicKey(), 4));
            }
            rows.add(new String[] {"MQTT chunks via Mosquitto, window 4", String.format("%.0f MiB/s (best of 3)", best)});
        }
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/b", ex -> {
            ex.sendResponseHeaders(200, Files.size(bundle));
            try (OutputStream out = ex.getResponseBody(); InputStream in = Files.newInputStream(bundle)) {
                in.transferTo(out);
            }
        });
        http.start();
        try {
            httpDownload(http.getAddress().getPort(), keys.signingKey().publicKey());
            double best = 0;
            for (int i = 0; i < 3; i++) {
                best = Math.max(best, httpDownload(http.getAddress().getPort(), keys.signingKey().publicKey()));
            }
            rows.add(new String[] {"HTTP (JDK HttpServer), 64 MiB, same checks", String.format("%.0f MiB/s (best of 3)", best)});
        } finally {
            http.stop(0);
        }
    }

    /** Fetches header and every chunk over MQTT, verifying each; returns payload MiB/s. */
    static double mqttDownload(String url, PublishedBundle b, PublicKey key, int window) throws Exception {
        MqttAsyncClient c = new MqttAsyncClient(url, "bench-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMaxInflight(100);
        o.setSocketFactory(io.fleetkit.ota.server.broker.NoDelaySockets.plain());
        c.connect(o).waitForCompletion();
        String id = "bench";
        Object lock = new Object();
        VerifiedManifest[] manifest = new VerifiedManifest[1];
        BitSet got = new BitSet();
        int[] next = {0};
        CountDownLatch done = new CountDownLatch(1);
        c.subscribe(Topics.DEFAULT.chunkData(id), 1, (t, m) -> {
            ChunkFrame f = ChunkFrame.decode(m.getPayload());
            synchronized (lock) {
                if (f.part() == ChunkPart.HEADER) {
                    manifest[0] = BundleReader.verify(BundleReader.readHeader(new ByteArrayInputStream(f.data())), List.of(key));
                    for (int i = 0; i < window; i++) {
                        c.publish(Topics.DEFAULT.chunkRequests(id), ChunkRequest.payload(b.sha256(), next[0]++).encode(), 1, false);
                    }
                    return;
                }
                ChunkVerifier v = manifest[0].chunkVerifier();
                v.verify(f.index(), f.data());
                got.set(f.index());
                if (next[0] < b.chunks()) {
                    c.publish(Topics.DEFAULT.chunkRequests(id), ChunkRequest.payload(b.sha256(), next[0]++).encode(), 1, false);
                }
                if (got.cardinality() == b.chunks()) {
                    done.countDown();
                }
            }
        }).waitForCompletion();
        long t0 = System.nanoTime();
        c.publish(Topics.DEFAULT.chunkRequests(id), ChunkRequest.header(b.sha256()).encode(), 1, false);
        if (!done.await(300, TimeUnit.SECONDS)) {
            throw new IllegalStateException("MQTT download stalled at " + got.cardinality());
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        c.disconnect().waitForCompletion();
        c.close();
        return (b.size() / 1048576.0) / secs;
    }

    static double httpDownload(int port, PublicKey key) throws Exception {
        long t0 = System.nanoTime();
        var conn = (java.net.HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/b").toURL().openConnection();
        long bytes;
        try (InputStream in = new java.io.BufferedInputStream(conn.getInputStream(), 1 << 20)) {
            VerifiedManifest m = BundleReader.open(in, key);
            ChunkVerifier v = m.chunkVerifier();
            byte[] buf = new byte[m.manifest().chunkSize()];
            bytes = 0;
            for (int i = 0; i < v.chunkCount(); i++) {
                int len = v.chunkLength(i);
                if (in.readNBytes(buf, 0, len) != len) {
                    throw new IllegalStateException("short read");
                }
                v.verify(i, buf, 0, len);
                bytes += len;
            }
        }
        return (bytes / 1048576.0) / ((System.nanoTime() - t0) / 1e9);
    }

    static void rollout(Path tmp, FleetKeys keys, int n, List<String[]> rows) throws Exception {
        Path data = tmp.resolve("data-rollout");
        Path bundle = TestFleet.bundle(tmp, keys, "2.0.0", 2_000_000, TestFleet.BOARD, 256 * 1024, 64 * 1024);
        int port = Mosquitto.freePort();
        Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), BenchServerMain.class.getName(), data.toString(),
                tmp.resolve("keys").toString(), Integer.toString(port), "1000").redirectErrorStream(true).start();
        OutputStream serverStdin = server.getOutputStream();
        BufferedReader serverOut = new BufferedReader(new InputStreamReader(server.getInputStream()));
        String ready = serverOut.readLine();
        if (ready == null || !ready.startsWith("READY ")) {
            throw new IllegalStateException("bench server did not start: " + ready);
        }
        String url = ready.substring(6);
        List<SimDevice> sims = java.util.Collections.synchronizedList(new ArrayList<>());
        try (FleetClient client = FleetClient.open(data, null, tmp.resolve("keys"), java.time.Clock.systemUTC(), EventSink.NONE)) {
            client.publish(bundle, Optional.empty());
            long c0 = System.nanoTime();
            // Paho spends ~300 ms in each connect (thread start-up sleeps), so connect many at once.
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(100);
            List<java.util.concurrent.Future<?>> connects = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String id = String.format("sim-%05d", i);
                connects.add(pool.submit(() -> {
                    SimDevice d = new SimDevice(url, Topics.DEFAULT, id, TestFleet.BOARD, "1.0.0", keys.signingKey().publicKey(), null, false);
                    d.connect();
                    sims.add(d);
                    return null;
                }));
            }
            for (var f : connects) {
                f.get();
            }
            pool.shutdown();
            double connectSecs = (System.nanoTime() - c0) / 1e9;
            long t = System.nanoTime();
            while (client.devices().stream().filter(d -> "1.0.0".equals(d.version())).count() < n) {
                Thread.sleep(100);
            }
            rows.add(new String[] {n + " devices connected and reported", String.format("%.1f s", (System.nanoTime() - c0) / 1e9)
                    + String.format(" (connect %.1f s)", connectSecs)});
            long rssBefore = rssKiB(server.pid());
            long t0 = System.nanoTime();
            Rollout r = client.createRollout(RolloutRequest.of("2.0.0"));
            Thread retry = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    for (SimDevice d : List.copyOf(sims)) {
                        try {
                            d.retry(5000);
                        } catch (Exception ignored) {
                            // next round
                        }
                    }
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            retry.setDaemon(true);
            retry.start();
            long peakRss = rssBefore;
            while (client.status(r.id()).rollout().state() != RolloutState.FINISHED) {
                if (client.status(r.id()).rollout().state() == RolloutState.PAUSED) {
                    throw new IllegalStateException("rollout paused: " + client.status(r.id()).rollout().reason());
                }
                peakRss = Math.max(peakRss, rssKiB(server.pid()));
                Thread.sleep(200);
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            retry.interrupt();
            long frames = sims.stream().mapToLong(s -> s.frames.get()).sum();
            // per device: 1 desired in, ~4 state + 3 events out, 1 header + 4 chunk requests out, 5 frames in
            long messages = frames + sims.stream().mapToLong(s -> s.requestLog.size() + 1 + 7 + 1).sum();
            rows.add(new String[] {n + " devices rollout (1,10%,50%,100%), all committed", String.format("%.1f s", secs)});
            rows.add(new String[] {"  messages through the broker (approx.)", String.format("%d, %.0f msg/s", messages, messages / secs)});
            rows.add(new String[] {"  server process RSS before / peak", String.format("%d MiB / %d MiB", rssBefore / 1024, peakRss / 1024)});
            rows.forEach(row -> System.out.printf("%-44s %s%n", row[0], row[1]));
        } finally {
            System.out.println("closing " + sims.size() + " simulated devices");
            List<Thread> closing = new ArrayList<>();
            for (SimDevice d : List.copyOf(sims)) {
                Thread t = new Thread(() -> {
                    try {
                        d.close();
                    } catch (Exception ignored) {
                        // closing anyway
                    }
                });
                t.start();
                closing.add(t);
            }
            for (Thread t : closing) {
                t.join(10_000);
            }
            serverStdin.close();
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    static long rssKiB(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
