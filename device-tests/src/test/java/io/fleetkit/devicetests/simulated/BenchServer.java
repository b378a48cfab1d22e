package io.fleetkit.devicetests.simulated;

import io.fleetkit.events.EventSink;
import io.fleetkit.ota.server.FleetServer;
import io.fleetkit.ota.server.FleetServerConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The fleet server in its own JVM for {@link OtaBenchmark}, so its memory is its own: args
 * DATA_DIR KEY_DIR PORT [BROKER_URL] (embedded broker on PORT unless an external broker is named).
 * Prints {@code READY <url>}, then {@code HEAP <bytes used>} every 250 ms;
 * on the line {@code GC} it collects and prints {@code HEAP-AFTER-GC <bytes>}; stops when stdin closes.
 */
public final class BenchServer {

    private BenchServer() {
    }

    public static void main(String[] args) throws Exception {
        FleetServerConfig config = FleetServerConfig.defaults(Path.of(args[0])).withKeyDir(Path.of(args[1]))
                .withListen("127.0.0.1", Integer.parseInt(args[2])).withTickInterval(Duration.ofMillis(200));
        if (args.length > 3) {
            config = config.withBrokerUrl(args[3]);
        }
        try (FleetServer server = FleetServer.start(config, EventSink.NONE)) {
            System.out.println("READY " + server.deviceBrokerUrl());
            System.out.flush();
            Thread sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    Runtime rt = Runtime.getRuntime();
                    System.out.println("HEAP " + (rt.totalMemory() - rt.freeMemory()));
                    System.out.flush();
                    try {
                        Thread.sleep(250);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            sampler.setDaemon(true);
            sampler.start();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.equals("GC")) {
                    System.gc();
                    Runtime rt = Runtime.getRuntime();
                    System.out.println("HEAP-AFTER-GC " + (rt.totalMemory() - rt.freeMemory()));
                    System.out.flush();
                }
            }
            sampler.interrupt();
        }
    }
}
