package io.fleetkit.ota.server.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.fleetkit.events.EventSink;
import io.fleetkit.events.FleetkitException;
import io.fleetkit.json.JsonWriter;
import io.fleetkit.ota.server.LocalFleetClient;
import io.fleetkit.ota.server.access.Actor;
import io.fleetkit.ota.server.access.TokenInfo;
import io.fleetkit.ota.server.db.Database;
import io.fleetkit.ota.server.metrics.ServerMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * The operators' HTTPS API under {@value ApiRoutes#BASE}, on the JDK's own HTTP server (no web framework): TLS with
 * the server's certificate (clients trust the fleet CA; no client certificate), bearer tokens, JSON in and out.
 * Request bodies are read up to {@value #MAX_BODY_BYTES} bytes, query strings up to {@value #MAX_QUERY_CHARS}
 * characters, an upload route's body (a bundle) up to {@value #MAX_UPLOAD_BYTES} bytes into a temporary file; a request
 * (head and body) must arrive within {@value #DEFAULT_MAX_REQUEST_SECONDS} s and a response go out within 60 s (the JDK
 * server's {@code sun.net.httpserver.maxReqTime}/{@code maxRspTime}, set unless the operator set them: an operator who
 * uploads large bundles over a slow link raises {@code -Dsun.net.httpserver.maxReqTime=SECONDS}). The web dashboard's
 * files are served at {@code /} ({@link DashboardAssets}); event streams run beside the workers ({@link EventStreams}).
 */
public final class ApiServer implements AutoCloseable {

    static final int MAX_BODY_BYTES = 64 * 1024;
    static final int MAX_QUERY_CHARS = 4096;
    /** The largest upload: a bundle carries one slot image, and a FAT32 slot holds less than 4 GiB. */
    public static final long MAX_UPLOAD_BYTES = 4L << 30;
    static final int DEFAULT_MAX_REQUEST_SECONDS = 120;
    private static final int WORKERS = 8;

    static {
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
            System.setProperty("sun.net.httpserver.maxReqTime", Integer.toString(DEFAULT_MAX_REQUEST_SECONDS));
        }
        if (System.getProperty("sun.net.httpserver.maxRspTime") == null) {
            System.setProperty("sun.net.httpserver.maxRspTime", "60");
        }
        // The JDK server leaves Nagle on: an answer's second write then waits for the client's delayed ACK,
        // ~40 ms per kept-alive request on Linux (49 → 5 ms median for one client in bench/run api's smoke run).
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpsServer server;
    private final ExecutorService workers;
    private final List<ApiRoute> routes = ApiRoutes.all();
    private final LocalFleetClient fleet;
    private final TokenAuthenticator tokens;
    private final EventSink sink;
    private final DashboardAssets dashboard = new DashboardAssets();
    private final EventStreams streams;
    private final ServerMetrics metrics;

    private ApiServer(HttpsServer server, ExecutorService workers, LocalFleetClient fleet, TokenAuthenticator tokens, StreamCadence cadence,
            ServerMetrics metrics, EventSink sink) {
        this.server = server;
        this.metrics = metrics;
        this.workers = workers;
        this.fleet = fleet;
        this.tokens = tokens;
        this.sink = sink;
        this.streams = new EventStreams(cadence, sink);
    }

    /**
     * Serves the API on {@code host:port} (0: any free port) with {@code tls}, on {@code fleet} (changes audited as each
     * token's holder) and the tokens in {@code db}, its event streams timed by {@code cadence}, {@code metrics} at
     * {@value ApiRoutes#METRICS} (null: none).
     */
    public static ApiServer start(String host, int port, SSLContext tls, LocalFleetClient fleet, Database db, Clock clock, StreamCadence cadence,
            ServerMetrics metrics, EventSink sink) throws IOException {
        HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getByName(host), port), 64);
        s.setHttpsConfigurator(new HttpsConfigurator(tls));
        ExecutorService workers = Executors.newFixedThreadPool(WORKERS, r -> {
            Thread t = new Thread(r, "fleet-api");
            t.setDaemon(true);
            return t;
        });
        s.setExecutor(workers);
        ApiServer api = new ApiServer(s, workers, fleet, new TokenAuthenticator(db, clock), cadence, metrics, sink);
        s.createContext("/", api::handle);
        s.start();
        return api;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Every route served (the OpenAPI test holds the document against these). */
    public List<ApiRoute> routes() {
        return routes;
    }

    private void handle(HttpExchange ex) {
        boolean streaming = false;
        try {
            try {
                if (dashboard.serves(ex.getRequestURI().getRawPath())) {
                    dashboard.serve(ex);
                    return;
                }
                Answer a = dispatch(ex);
                if (a.body() instanceof EventStream stream) {
                    streams.open(ex, stream);
                    streaming = true; // the stream's thread answers and closes
                    return;
                }
                send(ex, a.status(), a.body());
            } catch (FleetkitException e) {
                int status = ApiErrors.status(e);
                if (status == 401) {
                    ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"fleet\"");
                }
                send(ex, status, ApiErrors.body(e.code(), e.getMessage(), e.fix()));
            } catch (IOException | SQLException e) {
                sink.warn("api", ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath() + ": the fleet could not be reached: " + e.getMessage());
                send(ex, 503, ApiErrors.body("api.unavailable", "the fleet's database could not be reached: " + e.getMessage(),
                        "Try again; if it persists, check the server's database."));
            } catch (RuntimeException e) {
                sink.warn("api", ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath() + " failed: " + e);
                send(ex, 500, ApiErrors.body("api.internal", "the server failed on this request (" + e.getClass().getSimpleName() + ")",
                        "This is a bug in fleet; the server's log has the details."));
            }
        } catch (IOException e) {
            sink.debug("api", "answering " + ex.getRemoteAddress() + " failed: " + e.getMessage());
        } finally {
            if (!streaming) {
                ex.close();
            }
        }
    }

    /** What a route answered. */
    private record Answer(int status, Object body) {}

    private Answer dispatch(HttpExchange ex) throws IOException, SQLException {
        String path = ex.getRequestURI().getRawPath();
        ApiRoute route = null;
        Map<String, String> params = null;
        List<String> allowed = new java.util.ArrayList<>();
        for (ApiRoute r : routes) {
            Optional<Map<String, String>> m = r.match(path);
            if (m.isPresent()) {
                allowed.add(r.method());
                if (r.method().equals(ex.getRequestMethod())) {
                    route = r;
                    params = m.get();
                }
            }
        }
        if (allowed.isEmpty()) {
            throw new ApiException(404, "api.not-found", "no route " + shorten(path), "The routes are listed in " + ApiRoutes.BASE + "/openapi.json.");
        }
        if (route == null) {
            ex.getResponseHeaders().set("Allow", String.join(", ", allowed));
            throw new ApiException(405, "api.method-not-allowed", ex.getRequestMethod() + " is not allowed on " + shorten(path),
                    "Use " + String.join(" or ", allowed) + ".");
        }
        Actor actor = null;
        TokenInfo holder = null;
        if (route.role() != null) {
            holder = tokens.authenticate(ex.getRequestHeaders().getFirst("Authorization"), route.role());
            actor = Actor.token(holder.name(), ex.getRemoteAddress().getAddress().getHostAddress());
        }
        Map<String, String> query = query(ex.getRequestURI().getRawQuery());
        io.fleetkit.ota.server.FleetClient client = actor == null ? fleet : fleet.as(actor);
        if (route.upload()) {
            Path file = upload(ex, fleet.uploadDirectory());
            try {
                return new Answer(route.status(), route.handler().handle(new ApiCall(client, params, query, new byte[0], holder, file, metrics)));
            } finally {
                Files.deleteIfExists(file);
            }
        }
        ApiCall call = new ApiCall(client, params, query, body(ex), holder, null, metrics);
        return new Answer(route.status(), route.handler().handle(call));
    }

    /**
     * Streams an upload's body to a temporary file in {@code dir}, refusing it past {@value #MAX_UPLOAD_BYTES} bytes, as
     * announced or as it arrives.
     */
    private static Path upload(HttpExchange ex, Path dir) throws IOException {
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (length != null && (!length.matches("[0-9]{1,12}") || Long.parseLong(length) > MAX_UPLOAD_BYTES)) {
            throw uploadTooLarge();
        }
        Path file = Files.createTempFile(Files.createDirectories(dir), ".publish-upload-", ".tmp");
        try (InputStream in = ex.getRequestBody(); OutputStream out = Files.newOutputStream(file)) {
            byte[] buf = new byte[1 << 16];
            long total = 0;
            for (int n; (n = read(in, buf, total)) > 0; ) {
                total += n;
                if (total > MAX_UPLOAD_BYTES) {
                    throw uploadTooLarge();
                }
                out.write(buf, 0, n);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return file;
    }

    /** Reads on from the client; its failure is the client's (gone, or too slow), not the fleet's. */
    private static int read(InputStream in, byte[] buf, long sofar) {
        try {
            return in.read(buf);
        } catch (IOException e) {
            throw new ApiException(400, "api.upload-incomplete", "the upload broke off after " + sofar + " bytes: " + e.getMessage(),
                    "Send it again; over a slow link the server's request time (sun.net.httpserver.maxReqTime) may need raising.");
        }
    }

    private static ApiException uploadTooLarge() {
        return new ApiException(413, "api.body-too-large", "the upload is larger than " + MAX_UPLOAD_BYTES + " bytes",
                "A bundle carries one slot image of less than 4 GiB; check that this is the right file.");
    }

    private static byte[] body(HttpExchange ex) throws IOException {
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (length != null && length.length() > 9) {
            throw tooLarge();
        }
        try (InputStream in = ex.getRequestBody()) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw tooLarge();
            }
            return bytes;
        }
    }

    private static ApiException tooLarge() {
        return new ApiException(413, "api.body-too-large", "the request body is larger than " + MAX_BODY_BYTES + " bytes",
                "Send a smaller body; no request of this API needs more.");
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        if (raw.length() > MAX_QUERY_CHARS) {
            throw new ApiException(400, "api.bad-parameter", "the query string is longer than " + MAX_QUERY_CHARS + " characters", null);
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k;
            String v;
            try {
                k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new ApiException(400, "api.bad-parameter", "the query string is not URL-encoded: " + e.getMessage(), null);
            }
            if (q.put(k, v) != null) {
                throw new ApiException(400, "api.bad-parameter", "query parameter '" + shorten(k) + "' is given twice", null);
            }
        }
        return q;
    }

    private static void send(HttpExchange ex, int status, Object body) throws IOException {
        readRestOfRequest(ex);
        if (body instanceof PlainText text) {
            ex.getResponseHeaders().set("Content-Type", text.contentType());
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            ex.sendResponseHeaders(status, text.bytes().length);
            ex.getResponseBody().write(text.bytes());
            return;
        }
        byte[] bytes = (JsonWriter.write(body) + "\n").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    /**
     * Reads what the route left of the request body (an answer refused before reading it: 401, 403, 404...) before
     * answering. Left for the JDK's server to drain after the answer, it raced the client's next request on the same
     * kept-alive connection: the drain could pull that request's TLS record off the socket into the connection's
     * buffer, where the selector never sees it, and the request hung until the client gave up (one request in a few
     * hundred, in ApiServerTest's route check). A body beyond the bound is not read: the connection is closed instead.
     */
    private static void readRestOfRequest(HttpExchange ex) {
        try {
            InputStream in = ex.getRequestBody();
            byte[] buffer = new byte[8192];
            long left = MAX_BODY_BYTES;
            int n;
            while (left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
                left -= n;
            }
            if (left <= 0 && in.read() >= 0) {
                ex.getResponseHeaders().set("Connection", "close");
            }
        } catch (IOException e) {
            ex.getResponseHeaders().set("Connection", "close");
        }
    }

    private static String shorten(String s) {
        return s.length() <= 120 ? s : s.substring(0, 120) + "…";
    }

    @Override
    public void close() {
        server.stop(0);
        streams.close();
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
