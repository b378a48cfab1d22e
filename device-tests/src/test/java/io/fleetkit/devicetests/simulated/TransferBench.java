package io.fleetkit.devicetests.simulated;

import com.sun.net.httpserver.HttpServer;
import io.fleetkit.ota.agent.ChunkTransfer;
import io.fleetkit.ota.bundle.BundleReader;
import io.fleetkit.ota.bundle.ChunkVerifier;
import io.fleetkit.ota.bundle.VerifiedManifest;
import io.fleetkit.ota.protocol.ChunkFrame;
import io.fleetkit.ota.protocol.ChunkPart;
import io.fleetkit.ota.protocol.ChunkRequest;
import io.fleetkit.ota.protocol.Topics;
import io.fleetkit.ota.server.bundles.PublishedBundle;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import io.fleetkit.ota.mqtt.MqttConnection;
import io.fleetkit.ota.mqtt.MqttListener;
import io.fleetkit.ota.mqtt.MqttOptions;

/**
 * Payload transfer as a device does it, without the disk: over MQTT (the agent's own client) the header
 * then every chunk requested with a window (as the agent's ChunkTransfer does), each chunk checked against the
 * signed manifest; over HTTP the same bundle bytes streamed from the JDK's HttpServer with the
 * JDK's HttpClient, with the same checks. Both return payload MiB/s.
 */
final class TransferBench {

    private TransferBench() {
    }

    /**
     * Through the agent's own MQTT client (ota-mqtt) and its chunk bookkeeping ({@link ChunkTransfer}),
     * as the agent downloads; asks again after 5 s of silence (the agent's default is 30 s): the embedded
     * Moquette now and then holds a message until its own 5 s resend, and the run would wait for the
     * agent's 30 s. A run whose connection is lost (the fleet server restarts the embedded Moquette
     * when it loses a session loop, docs/protocol.md) is run again under a new device id, says so,
     * and is counted in {@link #RERUNS}; a chunk that fails its check ends the benchmark.
     */
    static double mqtt(String url, PublishedBundle b, PublicKey key, int window, Device device) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                String id = "bench-" + RUN_IDS.incrementAndGet();
                return mqttOnce(url, b, key, window, id, device.prepare(id));
            } catch (BrokerLost e) {
                if (attempt == 3) {
                    throw e;
                }
                RERUNS.incrementAndGet();
                System.err.println("  lost the broker during the run (" + e.getMessage() + "); running it again");
                Thread.sleep(3000);
            }
        }
    }

    /**
     * Makes {@code id} a device the server answers (the bundle offered to it, as a rollout would) and returns the
     * sockets it connects with: TLS with its own certificate, or null for plain TCP.
     */
    interface Device {
        javax.net.SocketFactory prepare(String id) throws Exception;
    }

    /** MQTT runs that lost their connection and were run again. */
    static final AtomicInteger RERUNS = new AtomicInteger();
    private static final AtomicInteger RUN_IDS = new AtomicInteger();

    /** The connection to the broker went away during a run. */
    private static final class BrokerLost extends IOException {
        BrokerLost(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static double mqttOnce(String url, PublishedBundle b, PublicKey key, int window, String id, javax.net.SocketFactory sockets)
            throws Exception {
        IOException[] lost = new IOException[1];
        RuntimeException[] failed = new RuntimeException[1];
        Object lock = new Object();
        ChunkTransfer[] transfer = new ChunkTransfer[1];
        CountDownLatch done = new CountDownLatch(1);
        MqttConnection[] conn = new MqttConnection[1];
        MqttListener listener = new MqttListener() {
            @Override
            public void message(String topic, byte[] payload, boolean retained) {
                try {
                    ChunkFrame f = ChunkFrame.decode(payload);
                    synchronized (lock) {
                        if (f.part() == ChunkPart.HEADER) {
                            if (transfer[0] == null) {
                                VerifiedManifest m = BundleReader.verify(BundleReader.readHeader(new ByteArrayInputStream(f.data())), List.of(key));
                                transfer[0] = new ChunkTransfer(m.manifest(), m.chunkVerifier(), 0, window, Duration.ofSeconds(5), Clock.systemUTC());
                            }
                        } else if (transfer[0] != null) {
                            for (ChunkTransfer.Ready r : transfer[0].accept(f.index(), f.data())) {
                                transfer[0].written(r.index());
                            }
                        }
                        if (transfer[0] != null && transfer[0].done()) {
                            done.countDown();
                        } else {
                            ask(conn[0], id, b, transfer[0]);
                        }
                    }
                } catch (IOException e) {
                    synchronized (lock) {
                        lost[0] = e; // a request that could not be sent: the connection is gone
                    }
                } catch (RuntimeException e) {
                    synchronized (lock) {
                        failed[0] = e; // a chunk that failed its check, or a bookkeeping error: not the broker's doing
                    }
                }
            }

            @Override
            public void connectionLost(IOException cause) {
                synchronized (lock) {
                    lost[0] = cause;
                }
            }
        };
        try {
            conn[0] = subscribed(url, id, sockets, listener, Topics.DEFAULT.chunkData(id));
        } catch (IOException e) {
            throw new BrokerLost("cannot connect: " + e.getMessage(), e);
        }
        try {
            long t0 = System.nanoTime();
            synchronized (lock) {
                ask(conn[0], id, b, null);
            }
            for (int s = 0; !done.await(1, TimeUnit.SECONDS); s++) {
                synchronized (lock) {
                    if (failed[0] != null) {
                        throw new IllegalStateException("the MQTT download failed: " + failed[0], failed[0]);
                    }
                    if (lost[0] != null) {
                        throw new BrokerLost("connection lost: " + lost[0].getMessage(), lost[0]);
                    }
                    if (s >= 300) {
                        throw new IllegalStateException("MQTT download stalled at chunk " + (transfer[0] == null ? "header" : transfer[0].next())
                                + " of " + b.chunks());
                    }
                    try {
                        if (transfer[0] != null) {
                            ask(conn[0], id, b, transfer[0]);
                        } else if (s % 5 == 4) {
                            ask(conn[0], id, b, null);
                        }
                    } catch (IOException e) {
                        throw new BrokerLost("cannot send: " + e.getMessage(), e);
                    }
                }
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            return payloadMib(b) / secs;
        } finally {
            conn[0].close();
        }
    }

    /** Asks for the header ({@code transfer} null) or for the chunks now due. */
    private static void ask(MqttConnection conn, String id, PublishedBundle b, ChunkTransfer transfer) throws IOException {
        String topic = Topics.DEFAULT.chunkRequests(id);
        if (transfer == null) {
            conn.publish(topic, ChunkRequest.header(b.sha256()).encode(), 1, false);
            return;
        }
        for (int i : transfer.due()) {
            conn.publish(topic, ChunkRequest.payload(b.sha256(), i).encode(), 1, false);
        }
    }

    /**
     * Connects and subscribes to {@code topic}, up to three times before the clock starts: Moquette 0.17
     * now and then closes a connection during its handshake, and drops one that subscribes before its own
     * CONNACK bookkeeping is done (hence the 200 ms pause the tests make too; docs/protocol.md). The
     * agent reconnects after such a drop; a benchmark run should not end there either.
     */
    private static MqttConnection subscribed(String url, String id, javax.net.SocketFactory sockets, MqttListener listener, String topic)
            throws Exception {
        for (int attempt = 1; ; attempt++) {
            MqttConnection c = null;
            try {
                c = MqttConnection.open(MqttOptions.of(url, id).withSocketFactory(sockets), listener);
                Thread.sleep(200);
                c.subscribe(List.of(topic), 1).get(30, TimeUnit.SECONDS);
                return c;
            } catch (IOException | ExecutionException | TimeoutException e) {
                if (c != null) {
                    c.close();
                }
                if (attempt == 3) {
                    throw e;
                }
                System.err.println("  broker dropped the connection (" + e.getMessage() + "); connecting again");
                Thread.sleep(1000);
            }
        }
    }

    /** Serves {@code bundle} over HTTP on loopback while {@code body} runs with its URL. */
    static double http(Path bundle, PublicKey key) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/bundle", ex -> {
            ex.sendResponseHeaders(200, Files.size(bundle));
            try (OutputStream out = ex.getResponseBody(); InputStream in = Files.newInputStream(bundle)) {
                in.transferTo(out);
            }
        });
        server.start();
        try {
            HttpClient client = HttpClient.newHttpClient();
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/bundle");
            long t0 = System.nanoTime();
            long bytes = 0;
            try (InputStream in = new BufferedInputStream(
                    client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofInputStream()).body(), 1 << 20)) {
                VerifiedManifest m = BundleReader.open(in, key);
                ChunkVerifier v = m.chunkVerifier();
                byte[] buf = new byte[m.manifest().chunkSize()];
                for (int i = 0; i < v.chunkCount(); i++) {
                    int len = v.chunkLength(i);
                    if (in.readNBytes(buf, 0, len) != len) {
                        throw new IllegalStateException("HTTP body ended inside chunk " + i);
                    }
                    v.verify(i, buf, 0, len);
                    bytes += len;
                }
            }
            return bytes / 1048576.0 / ((System.nanoTime() - t0) / 1e9);
        } finally {
            server.stop(0);
        }
    }

    /**
     * The agent's HTTP path: the fleet server's bundle HTTP port, the header then the payload as one
     * Range request read chunk by chunk with {@link java.net.HttpURLConnection}, each chunk verified.
     */
    static double fleetHttp(String bundleUrl, PublishedBundle b, PublicKey key, javax.net.ssl.SSLSocketFactory tls) throws Exception {
        long t0 = System.nanoTime();
        VerifiedManifest m;
        java.net.HttpURLConnection h = (java.net.HttpURLConnection) new java.net.URL(bundleUrl).openConnection();
        if (h instanceof javax.net.ssl.HttpsURLConnection https) {
            https.setSSLSocketFactory(tls);
        }
        h.setRequestProperty("Range", "bytes=0-" + (b.headerSize() - 1));
        try (InputStream in = h.getInputStream()) {
            m = BundleReader.verify(BundleReader.readHeader(new ByteArrayInputStream(in.readAllBytes())), List.of(key));
        }
        java.net.HttpURLConnection c = (java.net.HttpURLConnection) new java.net.URL(bundleUrl).openConnection();
        if (c instanceof javax.net.ssl.HttpsURLConnection https) {
            https.setSSLSocketFactory(tls);
        }
        c.setRequestProperty("Range", "bytes=" + b.headerSize() + "-" + (b.size() - 1));
        ChunkVerifier v = m.chunkVerifier();
        try (InputStream in = c.getInputStream()) {
            for (int i = 0; i < v.chunkCount(); i++) {
                byte[] chunk = in.readNBytes(v.chunkLength(i));
                v.verify(i, chunk);
            }
        }
        return payloadMib(b) / ((System.nanoTime() - t0) / 1e9);
    }

    private static double payloadMib(PublishedBundle b) {
        return (b.size() - b.headerSize()) / 1048576.0;
    }
}
