package io.fleetkit.ota.mqtt;

import io.fleetkit.testsupport.Mosquitto;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * A benchmark (a program, not a test) of the agent's download pattern: a "server" (Paho, as the
 * fleet server uses) answers each chunk request with a 1 MiB chunk; the "device" keeps a window
 * of 4 requests open ({@code -Dbench.window=N}) and SHA-256s every chunk, as the agent checks chunks against the manifest.
 * The device side is this client, then Paho 1.2.5, through the embedded Moquette and through
 * Mosquitto ({@code -Dbench.server=ota-mqtt} answers with this client instead). Prints payload MiB/s, best of 3 runs of 64 MiB. From /work/main:
 * <pre>
 * mvn -B -o -q -pl ota/mqtt test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * cd ota/mqtt &amp;&amp; java -cp "target/test-classes:target/classes:$(cat target/cp.txt)" io.fleetkit.ota.mqtt.ChunkTransferBench
 * </pre>
 */
public final class ChunkTransferBench {

    private static final int CHUNK = 1 << 20;
    private static final int CHUNKS = 64;
    private static final int WINDOW = Integer.getInteger("bench.window", 4);

    private ChunkTransferBench() {
    }

    /** The device side: connect, subscribe to data, send requests, close. */
    private interface Device extends AutoCloseable {
        void request(int index) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        byte[][] chunks = new byte[CHUNKS][CHUNK];
        Random r = new Random(1);
        for (byte[] c : chunks) {
            r.nextBytes(c);
        }
        Path dir = Files.createTempDirectory("mqtt-bench");
        try (TestMoquette moquette = new TestMoquette()) {
            run("embedded Moquette", moquette.url(), chunks);
        }
        try (Mosquitto mosquitto = Mosquitto.start(dir)) {
            run("Mosquitto", mosquitto.url(), chunks);
        }
        System.exit(0);
    }

    private static void run(String broker, String url, byte[][] chunks) throws Exception {
        AutoCloseable server = System.getProperty("bench.server", "paho").equals("ota-mqtt") ? oursServer(url, chunks) : pahoServer(url, chunks);
        for (String client : new String[] {"ota-mqtt", "Paho 1.2.5"}) {
            double best = 0;
            for (int run = 0; run < 3; run++) {
                best = Math.max(best, transfer(url, client.equals("ota-mqtt")));
            }
            System.out.printf("| %s, server client %s, device client %s, 1 MiB chunks, window %d | %.0f MiB/s |%n", broker,
                    System.getProperty("bench.server", "paho"), client, WINDOW, best);
        }
        server.close();
    }

    /** Answers each request on bench/req with the chunk it names, as the fleet server does (it uses Paho). */
    private static AutoCloseable pahoServer(String url, byte[][] chunks) throws Exception {
        MqttAsyncClient server = paho(url, "bench-server");
        server.subscribe("bench/req", 1, (t, m) -> server.publish("bench/data", chunks[ByteBuffer.wrap(m.getPayload()).getInt()], 1, false))
                .waitForCompletion();
        return () -> {
            server.disconnect().waitForCompletion();
            server.close();
        };
    }

    private static AutoCloseable oursServer(String url, byte[][] chunks) throws Exception {
        MqttConnection[] server = new MqttConnection[1];
        server[0] = MqttConnection.open(MqttOptions.of(url, "bench-server"), new MqttListener() {
            @Override
            public void message(String topic, byte[] payload, boolean retained) {
                try {
                    server[0].publish("bench/data", chunks[ByteBuffer.wrap(payload).getInt()], 1, false);
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public void connectionLost(java.io.IOException cause) {
                System.err.println("server lost: " + cause);
            }
        });
        server[0].subscribe(java.util.List.of("bench/req"), 1).get();
        return server[0];
    }

    private static double transfer(String url, boolean ours) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        int[] next = {0};
        int[] received = {0};
        Device[] device = new Device[1];
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        Consumer<byte[]> onChunk = payload -> {
            if (payload.length != CHUNK) {
                throw new IllegalStateException("chunk of " + payload.length + " bytes");
            }
            sha.digest(payload);
            try {
                if (next[0] < CHUNKS) {
                    device[0].request(next[0]++);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            if (++received[0] == CHUNKS) {
                done.countDown();
            }
        };
        device[0] = ours ? ours(url, onChunk) : paho(url, onChunk);
        long t0 = System.nanoTime();
        for (int i = 0; i < WINDOW; i++) {
            device[0].request(next[0]++);
        }
        if (!done.await(300, TimeUnit.SECONDS)) {
            throw new IllegalStateException("stalled at chunk " + received[0]);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        device[0].close();
        return CHUNKS * (double) CHUNK / (1 << 20) / secs;
    }

    private static byte[] index(int i) {
        return ByteBuffer.allocate(4).putInt(i).array();
    }

    private static Device ours(String url, Consumer<byte[]> onChunk) throws Exception {
        MqttConnection c = MqttConnection.open(MqttOptions.of(url, "bench-device"), new MqttListener() {
            @Override
            public void message(String topic, byte[] payload, boolean retained) {
                onChunk.accept(payload);
            }

            @Override
            public void connectionLost(java.io.IOException cause) {
                System.err.println("lost: " + cause);
            }
        });
        c.subscribe(java.util.List.of("bench/data"), 1).get();
        return new Device() {
            @Override
            public void request(int i) throws Exception {
                c.publish("bench/req", index(i), 1, false);
            }

            @Override
            public void close() {
                c.close();
            }
        };
    }

    private static Device paho(String url, Consumer<byte[]> onChunk) throws Exception {
        MqttAsyncClient c = paho(url, "bench-device");
        c.subscribe("bench/data", 1, (t, m) -> onChunk.accept(m.getPayload())).waitForCompletion();
        return new Device() {
            @Override
            public void request(int i) throws Exception {
                c.publish("bench/req", index(i), 1, false);
            }

            @Override
            public void close() throws Exception {
                c.disconnect().waitForCompletion();
                c.close();
            }
        };
    }

    private static MqttAsyncClient paho(String url, String id) throws Exception {
        MqttAsyncClient c = new MqttAsyncClient(url, id, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMaxInflight(100);
        o.setCleanSession(true);
        c.connect(o).waitForCompletion();
        return c;
    }
}
