package io.fleetkit.ota.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.events.EventSink;
import io.fleetkit.keys.FleetKeys;
import io.fleetkit.ota.protocol.DeviceReport;
import io.fleetkit.ota.protocol.OnlineStatus;
import io.fleetkit.ota.protocol.Topics;
import io.fleetkit.ota.protocol.UpdateState;
import io.fleetkit.ota.protocol.UpdateStatus;
import io.fleetkit.ota.server.access.Role;
import io.fleetkit.ota.server.bundles.PublishedBundle;
import io.fleetkit.ota.server.devices.BundleHttpServer;
import io.fleetkit.ota.server.rollout.DeviceSelector;
import io.fleetkit.ota.server.rollout.PhasePlan;
import io.fleetkit.ota.server.rollout.RolloutRequest;
import io.fleetkit.testsupport.Await;
import io.fleetkit.testsupport.Mosquitto;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} on a real fleet server (embedded broker, H2), scraped over HTTPS with an API token: devices that
 * registered over MQTT counted by state, version and board, and online; a rollout's current phase as it moves; the
 * MQTT and chunk counters; the health gauges; and the whole body checked by Prometheus's own {@code promtool}.
 * One server for the class; the rollout is driven by {@link FleetServer#tick()} (the server's own tick is an hour).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsEndpointTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String PI = "rpi4";

    @TempDir
    static Path tmp;

    FleetKeys keys;
    FleetServer server;
    LocalFleetClient admin;
    HttpClient http;
    String metricsUrl;
    final List<SimDevice> devices = new ArrayList<>();
    final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor();

    @BeforeAll
    void startServerAndDevices() throws Exception {
        keys = TestFleet.keys(tmp);
        FleetServerConfig config = FleetServerConfig.defaults(tmp.resolve("data")).withJdbcUrl(TestFleet.memoryDb())
                .withKeyDir(TestFleet.serverOnlyKeys(tmp)).withListen("127.0.0.1", Mosquitto.freePort()).withHttp(0, null).withApi(0)
                .withTickInterval(Duration.ofHours(1));
        server = FleetServer.start(config, EventSink.NONE);
        admin = LocalFleetClient.onDatabase(server.database(), tmp.resolve("data"), tmp.resolve("server-keys"), java.time.Clock.systemUTC(),
                EventSink.NONE);
        http = HttpClient.newBuilder().sslContext(TestFleet.trustOnly(keys.caCertificate())).connectTimeout(Duration.ofSeconds(10)).build();
        metricsUrl = "https://localhost:" + server.apiPort().orElseThrow() + "/metrics";
        for (String id : List.of("gw-000", "gw-001")) {
            SimDevice d = new SimDevice(server.deviceBrokerUrl(), Topics.DEFAULT, id, TestFleet.BOARD, "1.0.0", keys.signingKey().publicKey(),
                    TestFleet.deviceSockets(keys, id), false);
            devices.add(d);
            d.connect();
        }
        retries.scheduleWithFixedDelay(() -> devices.forEach(d -> {
            try {
                d.retry(1000);
            } catch (Exception ignored) {
                // the next round asks again
            }
        }), 200, 200, TimeUnit.MILLISECONDS);
        // a Pi that reports a failed update and then says it is offline, as its last will would
        MqttClient pi = new MqttClient(server.deviceBrokerUrl(), "pi-1", new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setSocketFactory(TestFleet.deviceSockets(keys, "pi-1"));
        pi.connect(o);
        Map<String, String> slots = new LinkedHashMap<>();
        slots.put("A", "1.0.0");
        slots.put("B", null);
        pi.publish(Topics.DEFAULT.state("pi-1"), new DeviceReport("pi-1", PI, "1.0.0", 1_000_000, "A", slots,
                new UpdateStatus(UpdateState.FAILED, "1.1.0", 0.0, "health.check-failed"), 1L << 30, 10, "0.1.0", List.of()).encode(), 1, true);
        pi.publish(Topics.DEFAULT.online("pi-1"), OnlineStatus.lastWill().encode(), 1, true);
        pi.disconnect();
        pi.close();
    }

    @AfterAll
    void stop() throws Exception {
        retries.shutdownNow();
        for (SimDevice d : devices) {
            d.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void countsTheFleetAndARolloutAsItMovesAndPromtoolAcceptsTheBody() throws Exception {
        String viewer = admin.createToken("prometheus", Role.VIEWER).secret();
        Map<String, Double> m = Await.untilMatches("the three devices counted", WAIT, () -> values(scrape(viewer).body()),
                v -> v.getOrDefault("fleetkit_devices_online", 0.0) == 2 && v.getOrDefault("fleetkit_devices_offline", 0.0) == 1
                        && v.getOrDefault("fleetkit_devices_by_state{state=\"idle\"}", 0.0) == 2);
        assertEquals(1.0, m.get("fleetkit_devices_by_state{state=\"failed\"}"));
        assertEquals(0.0, m.get("fleetkit_devices_by_state{state=\"downloading\"}"), "every state present, 0 when none");
        assertEquals(2.0, m.get("fleetkit_devices_by_version{board=\"qemu-arm64\",version=\"1.0.0\"}"));
        assertEquals(1.0, m.get("fleetkit_devices_by_version{board=\"" + PI + "\",version=\"1.0.0\"}"));
        assertEquals(1.0, m.get("fleetkit_database_up"));
        assertTrue(m.get("fleetkit_database_ping_seconds") > 0, m.toString());
        assertEquals(1.0, m.get("fleetkit_broker_connected"));
        assertTrue(m.get("fleetkit_mqtt_messages_received_total") >= 6, "online and state of three devices: " + m);
        assertTrue(m.keySet().stream().noneMatch(k -> k.startsWith("fleetkit_rollout_")), "no rollout yet: " + m.keySet());
        assertTrue(m.keySet().stream().anyMatch(k -> k.startsWith("jvm_memory_used_bytes{")), "the JVM's meters");

        PublishedBundle bundle = server.bundles().publish(TestFleet.bundle(tmp, keys, "2.0.0", 2_000_000, TestFleet.BOARD, 100_000, 4096),
                Optional.empty());
        String id = admin.createRollout(RolloutRequest.of("2.0.0").withSelector(DeviceSelector.parse("board=" + TestFleet.BOARD))
                .withPhases(PhasePlan.parse("1,100%"))).id();
        m = values(scrape(viewer).body());
        assertEquals(1.0, m.get("fleetkit_rollout_state{rollout=\"" + id + "\",state=\"created\",target=\"2.0.0\"}"), m.toString());
        assertEquals(0.0, m.get("fleetkit_rollout_state{rollout=\"" + id + "\",state=\"running\",target=\"2.0.0\"}"));
        assertEquals(1.0, m.get("fleetkit_rollout_phase{rollout=\"" + id + "\"}"));
        assertEquals(2.0, m.get("fleetkit_rollout_phases{rollout=\"" + id + "\"}"));
        assertEquals(1.0, m.get("fleetkit_rollout_phase_devices{rollout=\"" + id + "\"}"));
        assertEquals(0.0, m.get("fleetkit_rollout_phase_devices_done{rollout=\"" + id + "\"}"));

        // ticks until the first phase's device has fetched the bundle in chunks, installed it, and the second phase began
        m = Await.untilMatches("phase 2 of " + id, WAIT, () -> {
            server.tick();
            return values(scrape(viewer).body());
        }, v -> v.getOrDefault("fleetkit_rollout_phase{rollout=\"" + id + "\"}", 0.0) == 2);
        assertEquals(1.0, m.get("fleetkit_rollout_state{rollout=\"" + id + "\",state=\"running\",target=\"2.0.0\"}"));
        assertTrue(m.getOrDefault("fleetkit_devices_by_version{board=\"qemu-arm64\",version=\"2.0.0\"}", 0.0) >= 1, m.toString());
        assertEquals(0.0, m.get("fleetkit_rollout_phase_devices_failed{rollout=\"" + id + "\"}"));
        double mqttBytes = m.get("fleetkit_chunks_served_bytes_total{transport=\"mqtt\"}");
        assertTrue(mqttBytes >= 100_000, "at least the slot's random bytes went out in chunk frames: " + mqttBytes);
        assertTrue(m.get("fleetkit_mqtt_messages_sent_total") >= 100_000 / 4096, "a frame per chunk at least: " + m);

        // the device of phase 1 may also fetch the bundle over HTTPS; those bytes count apart
        String first = admin.status(id).devices().stream().filter(d -> d.phase() == 0).findFirst().orElseThrow().deviceId();
        HttpResponse<byte[]> range = BundleHttpsTest.get(BundleHttpsTest.client(keys, first),
                "https://localhost:" + server.bundleHttpPort().orElseThrow() + BundleHttpServer.PATH + bundle.sha256(), "bytes=0-4095");
        assertEquals(206, range.statusCode());
        assertEquals(4096.0, values(scrape(viewer).body()).get("fleetkit_chunks_served_bytes_total{transport=\"http\"}"));

        // the ended rollout leaves the scrape
        m = Await.untilMatches(id + " finished", WAIT, () -> {
            server.tick();
            return values(scrape(viewer).body());
        }, v -> v.keySet().stream().noneMatch(k -> k.startsWith("fleetkit_rollout_")));
        assertEquals(2.0, m.get("fleetkit_devices_by_version{board=\"qemu-arm64\",version=\"2.0.0\"}"), m.toString());
        assertEquals(null, m.get("fleetkit_devices_by_version{board=\"qemu-arm64\",version=\"1.0.0\"}"), "a version nobody runs is gone");

        promtoolAccepts(scrape(viewer).body());
    }

    @Test
    void wantsAnApiTokenAndServesTheTextFormat() throws Exception {
        HttpResponse<String> none = http.send(HttpRequest.newBuilder(URI.create(metricsUrl)).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, none.statusCode(), none.body());
        assertEquals("Bearer realm=\"fleet\"", none.headers().firstValue("WWW-Authenticate").orElse(null));
        assertEquals(401, scrape("fleet_" + "A".repeat(43)).statusCode(), "well-formed, but no such token");
        String operator = admin.createToken("ops-scraper", Role.OPERATOR).secret();
        HttpResponse<String> ok = scrape(operator);
        assertEquals(200, ok.statusCode(), "any role from viewer up");
        assertEquals("text/plain; version=0.0.4; charset=utf-8", ok.headers().firstValue("Content-Type").orElse(null));
        assertTrue(ok.body().contains("# TYPE fleetkit_mqtt_messages_received_total counter"), ok.body());
    }

    @Test
    @SuppressWarnings("unchecked")
    void prometheusScrapesItWithTheScrapeConfigOfTheDocs() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("prometheus"));
        Path token = Files.writeString(dir.resolve("fleet-token"), admin.createToken("prometheus-live", Role.VIEWER).secret() + "\n");
        Path ca = Files.copy(tmp.resolve("keys").resolve("ca.crt"), dir.resolve("fleet-ca.crt"));
        String doc = Files.readString(Path.of("../../docs/metrics.md"));
        int start = doc.indexOf("```yaml\n") + 8;
        String config = doc.substring(start, doc.indexOf("```", start)).replace("/etc/prometheus/fleet-token", token.toString())
                .replace("/etc/prometheus/fleet-ca.crt", ca.toString()).replace("fleet.example:8443", "localhost:" + server.apiPort().orElseThrow())
                .replace("scrape_interval: 30s", "scrape_interval: 1s");
        assertTrue(config.contains("credentials_file: " + token), config);
        Path file = Files.writeString(dir.resolve("prometheus.yml"), config);
        Path prometheus = Path.of("/usr/bin/prometheus");
        if (!Files.isExecutable(prometheus)) {
            throw new AssertionError("prometheus is missing: install the Debian package prometheus (apt-get install --no-install-recommends prometheus)");
        }
        int port = Mosquitto.freePort();
        Process p = new ProcessBuilder(prometheus.toString(), "--config.file=" + file, "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port).redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        try {
            HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            URI query = URI.create("http://127.0.0.1:" + port + "/api/v1/query?query=fleetkit_database_up%20*%20on(instance)%20up%7Bjob%3D%22fleet%22%7D");
            Await.until("Prometheus scraped the server", WAIT, () -> {
                try {
                    HttpResponse<String> reply = plain.send(HttpRequest.newBuilder(query).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (reply.statusCode() != 200) {
                        return false; // 503 "Service Unavailable" in plain text until its storage is ready
                    }
                    Map<String, Object> answer = (Map<String, Object>) io.fleetkit.json.JsonParser.parse(reply.body(), 1 << 20);
                    List<Map<String, Object>> result = (List<Map<String, Object>>) ((Map<String, Object>) answer.get("data")).get("result");
                    return result.size() == 1 && "1".equals(((List<Object>) result.get(0).get("value")).get(1));
                } catch (IOException e) {
                    return false; // not listening yet
                }
            }, () -> {
                try {
                    return Files.readString(dir.resolve("prometheus.log"));
                } catch (IOException e) {
                    return e.toString();
                }
            });
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private HttpResponse<String> scrape(String token) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(metricsUrl)).timeout(WAIT).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Each sample of the text format, {@code name{labels}} as written to its value. */
    private static Map<String, Double> values(String body) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String line : body.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            out.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return out;
    }

    /** Debian's promtool (package prometheus) parses and lints the body: names, types, units, help. */
    private static void promtoolAccepts(String body) throws Exception {
        Path promtool = Path.of("/usr/bin/promtool");
        if (!Files.isExecutable(promtool)) {
            throw new AssertionError("promtool is missing: install the Debian package prometheus (apt-get install --no-install-recommends prometheus)");
        }
        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        p.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "promtool did not finish");
        assertEquals(0, p.exitValue(), "promtool check metrics:\n" + out);
    }
}
