package io.fleetkit.devicetests.simulated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.fleetkit.formats.bootstate.Slot;
import io.fleetkit.ota.agent.AgentState;
import io.fleetkit.ota.protocol.UpdateState;
import io.fleetkit.ota.server.FleetClient;
import io.fleetkit.ota.server.FleetServer;
import io.fleetkit.ota.server.bundles.PublishedBundle;
import io.fleetkit.ota.server.rollout.RolloutRequest;
import io.fleetkit.testsupport.Await;
import io.fleetkit.testsupport.Mosquitto;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The optional HTTP download (docs/protocol.md): the fleet server serves its bundle store over
 * HTTP and puts the bundle's {@code url} in the desired update; a real agent on a file-backed
 * disk downloads with Range requests, verifying every chunk, and falls back to MQTT chunks when
 * HTTP does not work. Between agent and server sits a forwarding front that records the ranges
 * asked for and can cut a response short or flip a byte, as a flaky network or a tampering
 * mirror would; the bytes come from the server's own HTTP port.
 */
class SimulatedHttpDownloadTest {

    static final Duration BOUND = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void downloadsOverHttpAndResumesWithARangeFromTheNextChunkAfterACutStream() throws Exception {
        try (OtaFixture f = new OtaFixture(dir);
             Front front = new Front()) {
            FleetServer server = startWithFront(f, front);
            PublishedBundle b = server.bundles().publish(f.v2Bundle, Optional.empty());
            long cutAt = b.headerSize() + 3L * b.chunkSize() + 100; // inside chunk 3: chunks 0..2 arrive whole
            front.cutFirstPayloadAfter = cutAt;
            ChunkRequestLog mqtt = f.keep(new ChunkRequestLog());
            mqtt.connect(server.deviceBrokerUrl(), f.witnessSockets());
            SimulatedDevice d = oneDeviceRollout(f, server);

            Await.until("the device COMMITTED 2.0.0", BOUND, () -> SimulatedFleet.inState(d, UpdateState.COMMITTED), d::recentLog);
            assertEquals(Slot.B, d.runningSlot());
            assertEquals("2.0.0", d.slotVersions().get("B"));
            List<String> payloadRanges = front.ranges.stream().filter(r -> !r.equals("bytes=0-" + (b.headerSize() - 1))).toList();
            assertEquals("bytes=" + b.headerSize() + "-" + (b.size() - 1), payloadRanges.get(0), front.ranges.toString());
            assertEquals("bytes=" + (b.headerSize() + 3L * b.chunkSize()) + "-" + (b.size() - 1), payloadRanges.get(1),
                    "after the cut the agent resumes at chunk 3, the first it had not verified: " + front.ranges);
            assertEquals(List.of(), mqtt.of(d.id), "no payload chunk went over MQTT");
        }
    }

    @Test
    void refusesATamperedByteServedOverHttp() throws Exception {
        try (OtaFixture f = new OtaFixture(dir);
             Front front = new Front()) {
            FleetServer server = startWithFront(f, front);
            PublishedBundle b = server.bundles().publish(f.v2Bundle, Optional.empty());
            long tampered = b.headerSize() + 2L * b.chunkSize() + 17;
            front.flip = pos -> pos == tampered ? 0x01 : 0;
            SimulatedDevice d = oneDeviceRollout(f, server);

            Await.until("the device FAILED", BOUND, () -> SimulatedFleet.inState(d, UpdateState.FAILED), d::recentLog);
            AgentState s = d.state().orElseThrow();
            assertEquals("bundle.chunk-mismatch", s.reason());
            assertTrue(s.chunksDone() <= 2, "nothing from chunk 2 on was recorded as written: " + s.chunksDone());
            assertEquals(Slot.A, d.runningSlot());
        }
    }

    @Test
    void fallsBackToMqttChunksWhenTheUrlIsUnreachable() throws Exception {
        try (OtaFixture f = new OtaFixture(dir)) {
            int closed = Mosquitto.freePort(); // nothing listens there
            FleetServer server = f.startServer(f.serverConfig().withInsecureHttp(0, "http://127.0.0.1:" + closed));
            PublishedBundle b = server.bundles().publish(f.v2Bundle, Optional.empty());
            ChunkRequestLog mqtt = f.keep(new ChunkRequestLog());
            mqtt.connect(server.deviceBrokerUrl(), f.witnessSockets());
            SimulatedDevice d = oneDeviceRollout(f, server);

            Await.until("the device COMMITTED 2.0.0 over MQTT chunks", BOUND, () -> SimulatedFleet.inState(d, UpdateState.COMMITTED), d::recentLog);
            assertFalse(mqtt.of(d.id).isEmpty(), "payload chunks were asked for over MQTT");
            assertEquals(b.chunks(), mqtt.of(d.id).stream().distinct().count(), "every chunk came over MQTT");
            Await.until("the fallback in the agent's log", Duration.ofSeconds(5), () -> d.recentLog().contains("falling back to MQTT chunks"), d::recentLog);
            // The operator hears it too: an event in the device's history, not only a line on the device.
            FleetClient client = f.client();
            Await.until("the fallback among the device's events", Duration.ofSeconds(10), () -> client.device(d.id).events().stream()
                    .anyMatch(e -> "download.http-failed".equals(e.reason()) && e.state() == UpdateState.DOWNLOADING), d::recentLog);
        }
    }

    static FleetServer startWithFront(OtaFixture f, Front front) throws Exception {
        // plain HTTP to the front, which forwards to the server's plain HTTP port (--insecure-http): the HTTPS port and its
        // client certificates are BundleHttpsTest's; here the front must see and change the bytes
        FleetServer server = f.startServer(f.serverConfig().withInsecureHttp(0, "http://127.0.0.1:" + front.port()));
        // the server advertises the front; the front forwards to the server's own HTTP port, found from its advertised base
        front.target = "http://127.0.0.1:" + serverHttpPort(server);
        return server;
    }

    private static int serverHttpPort(FleetServer server) {
        return server.bundleHttpPort().orElseThrow();
    }

    private static SimulatedDevice oneDeviceRollout(OtaFixture f, FleetServer server) throws Exception {
        SimulatedFleet fleet = f.fleet(1, server.deviceBrokerUrl(), (i, d) -> { });
        FleetClient client = f.client();
        Await.until("the device reporting 1.0.0", Duration.ofSeconds(60), () -> OtaFixture.count(client.devices(), "1.0.0") == 1);
        client.createRollout(RolloutRequest.of("2.0.0"));
        return fleet.devices.get(0);
    }

    /** A forwarding HTTP front: records Range headers, can cut the first payload response and flip bytes. */
    static final class Front implements AutoCloseable {
        final List<String> ranges = new CopyOnWriteArrayList<>();
        volatile String target;
        volatile long cutFirstPayloadAfter = -1;
        volatile IntUnaryOperator flip = pos -> 0;
        private final HttpServer http;

        Front() throws java.io.IOException {
            http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            http.createContext("/", ex -> {
                try (ex) {
                    String range = ex.getRequestHeaders().getFirst("Range");
                    ranges.add(range);
                    HttpURLConnection c = (HttpURLConnection) new URL(target + ex.getRequestURI().getPath()).openConnection();
                    c.setRequestProperty("Range", range);
                    int status = c.getResponseCode();
                    long length = c.getContentLengthLong();
                    ex.getResponseHeaders().set("Content-Range", c.getHeaderField("Content-Range"));
                    long first = Long.parseLong(range.substring("bytes=".length(), range.indexOf('-')));
                    long cut = first > 0 && cutFirstPayloadAfter > 0 ? cutFirstPayloadAfter : -1;
                    if (cut > 0) {
                        cutFirstPayloadAfter = -1;
                    }
                    ex.sendResponseHeaders(status, length);
                    try (InputStream in = c.getInputStream(); OutputStream out = ex.getResponseBody()) {
                        byte[] buf = new byte[8192];
                        long pos = first;
                        for (int n = in.read(buf); n > 0; n = in.read(buf)) {
                            for (int i = 0; i < n; i++) {
                                buf[i] ^= (byte) flip.applyAsInt(Math.toIntExact(pos + i));
                            }
                            if (cut > 0 && pos + n > cut) {
                                out.write(buf, 0, (int) (cut - pos));
                                out.flush();
                                throw new java.io.IOException("cut on purpose at byte " + cut);
                            }
                            out.write(buf, 0, n);
                            pos += n;
                        }
                    }
                }
            });
            http.start();
        }

        int port() {
            return http.getAddress().getPort();
        }

        @Override
        public void close() {
            http.stop(0);
        }
    }
}
