package io.fleetkit.devicetests.simulated;

import io.fleetkit.build.VersionNumber;
import io.fleetkit.events.EventSink;
import io.fleetkit.keys.FleetKeys;
import io.fleetkit.ota.bundle.BundleRelease;
import io.fleetkit.ota.bundle.BundleWriter;
import io.fleetkit.ota.protocol.UpdateState;
import io.fleetkit.ota.server.FleetClient;
import io.fleetkit.ota.server.LocalFleetClient;
import io.fleetkit.ota.server.rollout.Rollout;
import io.fleetkit.ota.server.rollout.RolloutRequest;
import io.fleetkit.ota.server.rollout.RolloutState;
import io.fleetkit.testsupport.Await;
import io.fleetkit.testsupport.Mosquitto;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * A rollout of v2 across {@code n} real agents ({@link SimulatedDevice}s on 12 MiB-sparse disks
 * with ~64 KiB slot images in 16 KiB chunks), default phases, the server ({@link BenchServer},
 * embedded broker) in its own JVM. Messages are counted by a subscriber to everything under the
 * prefix, so each message through the broker counts once (the subscriber's own copies excluded).
 */
final class RolloutBench {

    record Result(String broker, int devices, double connectSecs, double rolloutSecs, long messages, long peakHeap, long heapAfterGc,
                  long peakRssKiB) {
    }

    private RolloutBench() {
    }

    /** With {@code mosquitto} the server uses a Mosquitto the bench starts; otherwise its embedded broker. */
    static Result run(Path dir, int n, boolean mosquitto) throws Exception {
        if (!mosquitto) {
            return run(dir, n, null);
        }
        try (Mosquitto broker = Mosquitto.start(dir.resolve("mosquitto"))) {
            return run(dir, n, broker.url());
        }
    }

    private static Result run(Path dir, int n, String brokerUrl) throws Exception {
        FleetKeys keys = FleetKeys.init(dir.resolve("keys"), Clock.systemUTC());
        io.fleetkit.keys.ServerKeys.issue(keys, dir.resolve("keys"), io.fleetkit.ota.protocol.ServerIds.DEFAULT,
                java.util.List.of("localhost", "127.0.0.1"), Duration.ofDays(1), false, Clock.systemUTC());
        byte[] v1 = SlotImage.of("1.0.0", 48 << 10, DeviceDisk.tiny().slotBytes());
        Path v2Slot = SlotImage.write(dir.resolve("slots/2.0.0.img"), "2.0.0", 48 << 10, DeviceDisk.tiny().slotBytes());
        Path v2 = BundleWriter.writeFile(BundleRelease.of("gateway", "2.0.0", SimulatedDevice.BOARD, VersionNumber.of("2.0.0"),
                Instant.now().minusSeconds(60)).withChunkSize(16 << 10), v2Slot, keys.signingKey(), Files.createDirectories(dir.resolve("out")));
        Path data = dir.resolve("fleet-data");
        int port = Mosquitto.freePort();
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g"));
        if (System.getProperty("bench.serverJfr") != null) { // a flight recording of the server, for profiling
            command.add("-Xlog:disable");
            command.add("-XX:StartFlightRecording=filename=" + System.getProperty("bench.serverJfr") + ",settings=profile");
        }
        command.addAll(java.util.List.of(
                // bench.serverClasspath: e.g. with slf4j-simple instead of slf4j-nop, to see the broker's own log
                "-cp", System.getProperty("bench.serverClasspath", System.getProperty("java.class.path")), BenchServer.class.getName(),
                data.toString(), dir.resolve("keys").toString(), Integer.toString(port)));
        if (brokerUrl != null) {
            command.add(brokerUrl);
        }
        Process server = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader serverOut = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        String ready = serverOut.readLine();
        while (ready != null && !ready.startsWith("READY ") && System.getProperty("bench.serverJfr") != null) {
            ready = serverOut.readLine(); // the flight recorder's own start-up lines
        }
        if (ready == null || !ready.startsWith("READY ")) {
            server.destroyForcibly();
            throw new IllegalStateException("the bench server did not start: " + ready);
        }
        String url = ready.substring("READY ".length());
        AtomicLong peakHeap = new AtomicLong();
        AtomicLong afterGc = new AtomicLong(-1);
        AtomicLong loops = new AtomicLong(-1);
        Thread heapReader = new Thread(() -> readServer(serverOut, peakHeap, afterGc, loops));
        heapReader.setDaemon(true);
        heapReader.start();
        AtomicLong messages = new AtomicLong();
        // the witness reads every device's topics, as only a server may: it presents a server identity of the fleet
        java.security.KeyPair wp = io.fleetkit.keys.KeyPairs.ecP256();
        org.eclipse.paho.client.mqttv3.MqttConnectOptions wo = new org.eclipse.paho.client.mqttv3.MqttConnectOptions();
        if (url.startsWith("ssl://")) {
            wo.setSocketFactory(io.fleetkit.ota.server.broker.TlsSockets.client(wp.getPrivate(), new io.fleetkit.keys.ServerCertificateIssuer(
                    Clock.systemUTC()).issueIdentity(keys, OtaFixture.WITNESS, java.util.List.of("localhost"), wp.getPublic(), Duration.ofDays(1)),
                    keys.caCertificate()));
        }
        MqttClient witness = new MqttClient(url, url.startsWith("ssl://") ? OtaFixture.WITNESS : "bench-witness", new MemoryPersistence());
        try (FleetClient client = LocalFleetClient.open(data, null, dir.resolve("keys"), Clock.systemUTC(), EventSink.NONE)) {
            client.publish(v2, java.util.Optional.empty());
            witness.connect(wo);
            witness.subscribe("fleet/v1/#", 0, (t, m) -> messages.incrementAndGet());
            long c0 = System.nanoTime();
            try (SimulatedFleet fleet = SimulatedFleet.start(dir.resolve("devices"), n, v1, dir.resolve("keys").resolve(FleetKeys.SIGNING_PUB),
                    url, DeviceDisk.tiny(), (i, d) -> { })) {
                Await.until(n + " devices reporting 1.0.0", Duration.ofMinutes(5), () -> OtaFixture.count(client.devices(), "1.0.0") == n);
                double connect = (System.nanoTime() - c0) / 1e9;
                long rssPeak = rssKiB(server.pid());
                messages.set(0);
                long t0 = System.nanoTime();
                Rollout r = client.createRollout(RolloutRequest.of("2.0.0"));
                long[] rss = {rssPeak};
                Await.until("rollout FINISHED, every agent COMMITTED", Duration.ofMinutes(15), () -> {
                    rss[0] = Math.max(rss[0], rssKiB(server.pid()));
                    return client.status(r.id()).rollout().state() == RolloutState.FINISHED
                            && fleet.all(d -> SimulatedFleet.inState(d, UpdateState.COMMITTED));
                }, () -> fleet.describe(UpdateState.COMMITTED));
                double secs = (System.nanoTime() - t0) / 1e9;
                long count = messages.get();
                OutputStream cmd = server.getOutputStream();
                cmd.write("GC\n".getBytes(StandardCharsets.US_ASCII));
                cmd.flush();
                Await.until("heap after GC", Duration.ofSeconds(30), () -> afterGc.get() >= 0);
                return new Result(brokerUrl == null ? "embedded HiveMQ" : "Mosquitto", n, connect, secs, count, peakHeap.get(),
                        afterGc.get(), rss[0]);
            }
        } finally {
            if (witness.isConnected()) {
                witness.disconnectForcibly(100, 100);
            }
            witness.close(true);
            server.getOutputStream().close();
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    /** Fails at once when the embedded broker has lost a session loop: its clients would wait forever. */
    private static void readServer(BufferedReader in, AtomicLong peak, AtomicLong afterGc, AtomicLong loops) {
        try {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("LOOPS ")) { // no longer printed: Moquette's session loops are gone
                    loops.set(Long.parseLong(line.substring(6)));
                } else if (line.startsWith("HEAP ")) {
                    long used = Long.parseLong(line.substring(5));
                    peak.accumulateAndGet(used, Math::max);
                } else if (line.startsWith("HEAP-AFTER-GC ")) {
                    afterGc.set(Long.parseLong(line.substring(14)));
                }
            }
        } catch (java.io.IOException ignored) {
            // the server stopped
        }
    }

    static long rssKiB(long pid) throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
