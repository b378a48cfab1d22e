package io.fleetkit.ota.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the dashboard needs from the API server, over real HTTPS: its files with their security headers, who a token
 * is, the fleet's summary, the id search, and a rollout's live event stream (changes, end, bound, server stop).
 * H2 here; PostgreSQL in the subclass.
 */
class DashboardApiTest {

    private static final AtomicLong COUNTER = new AtomicLong();
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    FleetKeys keys;
    FleetServer server;
    LocalFleetClient admin;
    HttpClient http;
    String origin;
    String viewer;

    String freshUrl() throws Exception {
        return "jdbc:h2:mem:dash" + COUNTER.incrementAndGet() + ";DB_CLOSE_DELAY=-1";
    }

    @BeforeEach
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

    @AfterEach
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

    private int post(String path, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(origin + "/api/v1" + path)).header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void servesTheDashboardsFilesWithAStrictContentSecurityPolicyAndNoToken() throws Exception {
        HttpResponse<String> index = get("/", null, Map.of());
        assertEquals(200, index.statusCode());
        assertEquals("text/html; charset=utf-8", index.headers().firstValue("Content-Type").orElse(null));
        String csp = index.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.contains("script-src 'self';") && csp.contains("default-src 'none'") && !csp.contains("unsafe"), csp);
        assertEquals("nosniff", index.headers().firstValue("X-Content-Type-Options").orElse(null));
        assertTrue(index.body().contains("<script src=\"/app.js\" defer></script>"));
        assertFalse(index.body().replace("<script src=\"/app.js\" defer></script>", "").contains("<script"), "no inline script");

        HttpResponse<String> js = get("/app.js", null, Map.of());
        assertEquals("text/javascript; charset=utf-8", js.headers().firstValue("Content-Type").orElse(null));
        assertFalse(js.body().contains("innerHTML"), "text from the API is never parsed as HTML");
        assertEquals("text/css; charset=utf-8", get("/app.css", null, Map.of()).headers().firstValue("Content-Type").orElse(null));
        String etag = js.headers().firstValue("ETag").orElseThrow();
        assertEquals("no-cache", js.headers().firstValue("Cache-Control").orElse(null));
        assertEquals(304, get("/app.js", null, Map.of("If-None-Match", etag)).statusCode(), "an unchanged file is not sent again");

        for (String path : List.of("/index.html", "/app.js/x", "/../pom.xml", "/%2e%2e/app.js", "/io/fleetkit/ota/server/dashboard/app.js")) {
            assertEquals(404, get(path, null, Map.of()).statusCode(), path);
        }
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(origin + "/")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
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

    @Test
    void aRolloutStreamsEachChangeUntilItEnds() throws Exception {
        String id = rollout();
        String operator = admin.createToken("ops", Role.OPERATOR).secret();
        assertEquals(401, get("/api/v1/rollouts/" + id + "/events", null, Map.of()).statusCode());
        assertEquals(404, get("/api/v1/rollouts/r-99/events", viewer, Map.of()).statusCode());

        try (EventLines events = EventLines.open(http, origin + "/api/v1/rollouts/" + id + "/events", viewer)) {
            assertEquals("text/event-stream; charset=utf-8", events.contentType);
            assertEquals("retry: " + EventStreams.RETRY_MILLIS, events.next());
            assertTrue(events.nextEvent("status").contains("\"state\":\"CREATED\""));
            assertEquals("", events.next());
            assertEquals(": heartbeat", events.next(), "a quiet stream still sends a line now and then");
            assertEquals(200, post("/rollouts/" + id + "/pause", operator));
            assertTrue(events.nextEvent("status").contains("\"state\":\"PAUSED\""), "the change arrives without asking");
            assertEquals(200, post("/rollouts/" + id + "/abort", operator));
            assertTrue(events.nextEvent("status").contains("\"state\":\"ABORTED\""));
            assertEquals("{}", events.nextEvent("end"));
            events.awaitClosed();
        }
    }

    @Test
    void streamsAreBoundedAndEndWhenTheServerStops() throws Exception {
        String id = rollout();
        List<EventLines> open = new ArrayList<>();
        try {
            for (int i = 0; i < EventStreams.MAX_STREAMS; i++) {
                EventLines e = EventLines.open(http, origin + "/api/v1/rollouts/" + id + "/events", viewer);
                assertTrue(e.next().startsWith("retry:"));
                open.add(e);
            }
            HttpResponse<String> refused = get("/api/v1/rollouts/" + id + "/events", viewer, Map.of());
            assertEquals(503, refused.statusCode());
            assertTrue(refused.body().contains("api.too-many-streams"), refused.body());
            assertNotNull(refused.headers().firstValue("Retry-After").orElse(null));
            assertEquals(200, get("/api/v1/rollouts/" + id, viewer, Map.of()).statusCode(), "the API itself still answers");

            open.remove(0).close();
            io.fleetkit.testsupport.Await.until("the slot of a reader that went away is free again", WAIT, () -> {
                HttpResponse<Stream<String>> r = http.send(HttpRequest.newBuilder(URI.create(origin + "/api/v1/rollouts/" + id + "/events"))
                        .header("Authorization", "Bearer " + viewer).build(), HttpResponse.BodyHandlers.ofLines());
                if (r.statusCode() == 200) {
                    open.add(new EventLines(r));
                    return true;
                }
                r.body().close();
                return false;
            });
            server.close();
            server = null;
            for (EventLines e : open) {
                e.awaitClosed();
            }
        } finally {
            open.forEach(EventLines::close);
        }
    }

    private String rollout() throws Exception {
        devices("gw-000", "gw-001");
        server.bundles().publish(TestFleet.bundle(tmp, keys, "2.0.0", 2_000_000, TestFleet.BOARD, 100_000, 4096), Optional.empty());
        return admin.createRollout(RolloutRequest.of("2.0.0")).id();
    }

    /** A text/event-stream read line by line on a thread of its own, so the test waits with a deadline. */
    static final class EventLines implements AutoCloseable {

        private static final String CLOSED = "\u0000closed";
        final String contentType;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final Stream<String> body;

        private EventLines(HttpResponse<Stream<String>> r) {
            this.contentType = r.headers().firstValue("Content-Type").orElse(null);
            this.body = r.body();
            Thread t = new Thread(() -> {
                try {
                    body.forEach(lines::add);
                } catch (RuntimeException e) {
                    // the connection went away: as closed
                } finally {
                    lines.add(CLOSED);
                }
            }, "sse-reader");
            t.setDaemon(true);
            t.start();
        }

        static EventLines open(HttpClient http, String url, String token) throws Exception {
            HttpResponse<Stream<String>> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                    .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofLines());
            assertEquals(200, r.statusCode());
            return new EventLines(r);
        }

        String next() throws InterruptedException {
            String line = lines.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertNotNull(line, "no line within " + WAIT);
            return line;
        }

        /** The data of the next event called {@code name}, skipping heartbeats and blank lines. */
        String nextEvent(String name) throws InterruptedException {
            String line;
            do {
                line = next();
                assertFalse(line.equals(CLOSED), "the stream ended before an event " + name);
            } while (line.isEmpty() || line.startsWith(":"));
            assertEquals("event: " + name, line);
            String data = next();
            assertTrue(data.startsWith("data: "), data);
            return data.substring(6);
        }

        void awaitClosed() throws InterruptedException {
            String line;
            do {
                line = next();
            } while (!line.equals(CLOSED));
            assertNull(lines.poll());
        }

        @Override
        public void close() {
            body.close();
        }
    }
}
