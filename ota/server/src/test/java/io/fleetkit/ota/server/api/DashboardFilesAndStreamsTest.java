package io.fleetkit.ota.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.events.EventSink;
import io.fleetkit.keys.FleetKeys;
import io.fleetkit.ota.protocol.UpdateState;
import io.fleetkit.ota.server.FleetServer;
import io.fleetkit.ota.server.FleetServerConfig;
import io.fleetkit.ota.server.LocalFleetClient;
import io.fleetkit.ota.server.TestFleet;
import io.fleetkit.ota.server.access.Role;
import io.fleetkit.ota.server.db.DeviceStore;
import io.fleetkit.ota.server.rollout.DeviceSelector;
import io.fleetkit.ota.server.rollout.RolloutRequest;
import io.fleetkit.testsupport.Await;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the dashboard needs from the API server beyond queries, over real HTTPS: its files with their security headers,
 * and a rollout's live event stream (changes, heartbeat, end, the bound on open streams, freed slots, server stop).
 * None of it depends on the database's SQL dialect (a stream polls the same status query as
 * {@code GET /rollouts/{id}}, which {@link ApiServerOnPostgresTest} covers), so H2 only. One server for the class,
 * with streams that poll and beat every {@value #CADENCE_MILLIS} ms instead of every 1 and 2 s: each test has its own
 * devices and rollout, and the test that stops the server runs last.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardFilesAndStreamsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    static final long CADENCE_MILLIS = 100;

    @TempDir
    static Path tmp; // static: the class's server lives in it, and JUnit fills static fields before @BeforeAll

    FleetServer server;
    LocalFleetClient admin;
    HttpClient http;
    String origin;
    String viewer;
    String operator;

    @BeforeAll
    void startServer() throws Exception {
        FleetKeys keys = TestFleet.keys(tmp);
        Duration cadence = Duration.ofMillis(CADENCE_MILLIS);
        FleetServerConfig config = FleetServerConfig.defaults(tmp.resolve("data")).withJdbcUrl(TestFleet.memoryDb())
                .withKeyDir(TestFleet.serverOnlyKeys(tmp)).withListen("127.0.0.1", Mosquitto.freePort()).withApi(0)
                .withTickInterval(Duration.ofHours(1)).withApiStreams(new StreamCadence(cadence, cadence, StreamCadence.DEFAULT.lifetime()));
        server = FleetServer.start(config, EventSink.NONE);
        admin = LocalFleetClient.onDatabase(server.database(), tmp.resolve("data"), tmp.resolve("server-keys"), java.time.Clock.systemUTC(),
                EventSink.NONE);
        http = HttpClient.newBuilder().sslContext(TestFleet.trustOnly(keys.caCertificate())).connectTimeout(Duration.ofSeconds(10)).build();
        origin = "https://localhost:" + server.apiPort().orElseThrow();
        viewer = admin.createToken("dash", Role.VIEWER).secret();
        operator = admin.createToken("ops", Role.OPERATOR).secret();
        server.bundles().publish(TestFleet.bundle(tmp, keys, "2.0.0", 2_000_000, TestFleet.BOARD, 100_000, 4096), Optional.empty());
    }

    @AfterAll
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<String> get(String path, String token, Map<String, String> headers) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(origin + path)).timeout(WAIT).GET();
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        headers.forEach(r::header);
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
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
        List<String> scripts = List.of("<script src=\"/actions.js\" defer></script>", "<script src=\"/app.js\" defer></script>");
        String rest = index.body();
        for (String script : scripts) {
            assertTrue(rest.contains(script), script);
            rest = rest.replace(script, "");
        }
        assertFalse(rest.contains("<script"), "no inline script");
        assertFalse(get("/actions.js", null, Map.of()).body().contains("innerHTML"), "text from the API is never parsed as HTML");

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
    void aRolloutStreamsEachChangeUntilItEnds() throws Exception {
        String id = rollout("changes");
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

    /** Last: it stops the class's server. */
    @Test
    @Order(Integer.MAX_VALUE)
    void streamsAreBoundedAndEndWhenTheServerStops() throws Exception {
        String id = rollout("bound");
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
            Await.until("the slot of a reader that went away is free again", WAIT, () -> {
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

    /** A rollout of its own for a test: two devices tagged {@code tag} (so no other test's rollout holds them). */
    private String rollout(String tag) throws Exception {
        List<String> ids = List.of(tag + "-000", tag + "-001");
        server.database().transaction(c -> {
            DeviceStore store = new DeviceStore();
            for (String id : ids) {
                store.applyReport(c, TestFleet.report(id, "1.0.0", UpdateState.IDLE, null), Instant.now());
            }
            return null;
        });
        for (String id : ids) {
            admin.tagDevice(id, List.of(tag));
        }
        return admin.createRollout(RolloutRequest.of("2.0.0").withSelector(DeviceSelector.parse("tag=" + tag))).id();
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
