package io.fleetkit.ota.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.events.EventSink;
import io.fleetkit.json.JsonParser;
import io.fleetkit.keys.FleetKeys;
import io.fleetkit.ota.protocol.UpdateState;
import io.fleetkit.ota.server.FleetServer;
import io.fleetkit.ota.server.FleetServerConfig;
import io.fleetkit.ota.server.LocalFleetClient;
import io.fleetkit.ota.server.TestFleet;
import io.fleetkit.ota.server.access.Role;
import io.fleetkit.ota.server.db.DeviceStore;
import io.fleetkit.ota.server.rollout.RolloutRequest;
import io.fleetkit.testsupport.Mosquitto;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the dashboard asks the database through the API server, over real HTTPS: who a token is, the fleet's summary,
 * the id search and its keyset paging. H2 here; PostgreSQL in the subclass. Its files and live event streams, which
 * do not depend on the database, are {@link DashboardFilesAndStreamsTest}'s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardApiTest {

    private static final AtomicLong COUNTER = new AtomicLong();
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path tmp; // static: the class's server lives in it, and JUnit fills static fields before @BeforeAll

    FleetKeys keys;
    FleetServer server;
    LocalFleetClient admin;
    HttpClient http;
    String origin;
    String viewer;

    String freshUrl() throws Exception {
        return "jdbc:h2:mem:dash" + COUNTER.incrementAndGet() + ";DB_CLOSE_DELAY=-1";
    }

    @BeforeAll
    void startServer() throws Exception {
        keys = TestFleet.keys(tmp);
        FleetServerConfig config = FleetServerConfig.defaults(tmp.resolve("data")).withJdbcUrl(freshUrl()).withKeyDir(TestFleet.serverOnlyKeys(tmp))
                .withListen("127.0.0.1", Mosquitto.freePort()).withApi(0).withTickInterval(Duration.ofHours(1));
        server = FleetServer.start(config, EventSink.NONE);
        admin = LocalFleetClient.onDatabase(server.database(), tmp.resolve("data"), tmp.resolve("server-keys"), java.time.Clock.systemUTC(),
                EventSink.NONE);
        http = HttpClient.newBuilder().sslContext(TestFleet.trustOnly(keys.caCertificate())).connectTimeout(Duration.ofSeconds(10)).build();
        origin = "https://localhost:" + server.apiPort().orElseThrow();
        viewer = admin.createToken("dash", Role.VIEWER).secret();
    }

    @AfterAll
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private void devices(String... ids) throws Exception {
        server.database().transaction(c -> {
            DeviceStore store = new DeviceStore();
            for (String id : ids) {
                store.applyReport(c, TestFleet.report(id, "1.0.0", UpdateState.IDLE, null), Instant.now());
            }
            return null;
        });
    }

    private HttpResponse<String> get(String path, String token, Map<String, String> headers) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(origin + path)).timeout(WAIT).GET();
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        headers.forEach(r::header);
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> json(String path, String token) throws Exception {
        HttpResponse<String> r = get(path, token, Map.of());
        assertEquals(200, r.statusCode(), r.body());
        return (Map<String, Object>) JsonParser.parse(r.body(), 1 << 20);
    }

    @Test
    @SuppressWarnings("unchecked")
    void tellsATokenWhoItIsAndSummarisesTheFleet() throws Exception {
        devices("gw-000", "gw-001", "lab_1", "labx1");
        server.database().transaction(c -> {
            new DeviceStore().setOnline(c, "gw-001", true, Instant.now());
            return null;
        });
        server.bundles().publish(TestFleet.bundle(tmp, keys, "2.0.0", 2_000_000, TestFleet.BOARD, 100_000, 4096), Optional.empty());
        admin.createRollout(RolloutRequest.of("2.0.0"));
        String operator = admin.createToken("ops", Role.OPERATOR).secret();

        assertEquals(Map.of("name", "ops", "role", "operator"), json("/api/v1/me", operator));
        assertEquals(Map.of("name", "dash", "role", "viewer"), json("/api/v1/me", viewer));
        assertEquals(401, get("/api/v1/me", null, Map.of()).statusCode());

        Map<String, Object> s = json("/api/v1/summary", viewer);
        assertEquals(4L, s.get("devices"));
        assertEquals(1L, s.get("online"));
        assertEquals(3L, s.get("offline"));
        assertEquals(List.of(Map.of("board", TestFleet.BOARD, "version", "1.0.0", "devices", 4L, "online", 1L)), s.get("versions"));
        List<Map<String, Object>> active = (List<Map<String, Object>>) s.get("activeRollouts");
        assertEquals(1, active.size());
        assertEquals("2.0.0", active.get(0).get("target"));

        assertEquals(List.of("lab_1"), ids("/api/v1/devices?idPrefix=lab_"), "_ is not a wildcard");
        assertEquals(List.of("lab_1", "labx1"), ids("/api/v1/devices?idPrefix=lab"));
        assertEquals(List.of("gw-001"), ids("/api/v1/devices?idPrefix=gw&online=true"));
        assertEquals(List.of("gw-001"), ids("/api/v1/devices?idPrefix=gw&limit=1&after=gw-000"));
        HttpResponse<String> bad = get("/api/v1/devices?idPrefix=" + java.net.URLEncoder.encode("x%' OR 1=1", java.nio.charset.StandardCharsets.UTF_8),
                viewer, Map.of());
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("devices.bad-prefix"), bad.body());
    }

    @SuppressWarnings("unchecked")
    private List<String> ids(String path) throws Exception {
        return ((List<Map<String, Object>>) json(path, viewer).get("devices")).stream().map(d -> (String) d.get("id")).toList();
    }
}
