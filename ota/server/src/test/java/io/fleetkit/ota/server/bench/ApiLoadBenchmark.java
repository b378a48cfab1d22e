package io.fleetkit.ota.server.bench;

import io.fleetkit.events.Event;
import io.fleetkit.events.EventSink;
import io.fleetkit.json.JsonParser;
import io.fleetkit.keys.FleetKeys;
import io.fleetkit.ota.protocol.DeviceReport;
import io.fleetkit.ota.protocol.UpdateStatus;
import io.fleetkit.ota.server.FleetServer;
import io.fleetkit.ota.server.FleetServerConfig;
import io.fleetkit.ota.server.LocalFleetClient;
import io.fleetkit.ota.server.TestFleet;
import io.fleetkit.ota.server.access.Role;
import io.fleetkit.ota.server.broker.TlsSockets;
import io.fleetkit.ota.server.db.Database;
import io.fleetkit.ota.server.db.DevicePage;
import io.fleetkit.ota.server.db.DeviceQuery;
import io.fleetkit.ota.server.db.DeviceStore;
import io.fleetkit.ota.server.db.Sql;
import io.fleetkit.testsupport.Mosquitto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import javax.net.ssl.SSLContext;

/**
 * The operators' API under load (a program, not a test; {@code bench/run api}), issue #20. A real {@code fleet server}
 * (embedded HiveMQ with device TLS, H2 file database, HTTPS API) holds {@code devices} devices in {@code versions}
 * versions, written straight into its database; {@code agents} of them are played by MQTT clients with their own
 * certificates that publish a state report every {@code reportSeconds}, which the server applies (a durable commit
 * each). Meanwhile clients page through the devices of one version, {@code pageSize} at a time, following
 * {@code next}: one client; {@code clients} clients back to back; the same clients at one request per {@code paceMs}
 * each. Side by side, the same pages through the CLI's local client on the database (its own connection, in this JVM)
 * and through the SQL alone (a plain connection, no commit): what HTTPS, the token check and JSON add. Then the
 * dashboard's first load from cold HTTP clients. Parameters are {@code name=value} arguments (or
 * {@code -Dbench.name=value}); small ones make a smoke run ({@code sideBySide=0} leaves out the two rows without HTTP).
 * The JDK's HTTP server leaves Nagle's algorithm on unless {@code -Dsun.net.httpserver.nodelay=true}; the header line
 * says which was measured.
 */
public final class ApiLoadBenchmark {

    private static final int CORES = Runtime.getRuntime().availableProcessors();

    private final Params p;
    private final Path dir;
    private FleetServer server;
    private FleetKeys keys;
    private String origin;
    private String token;
    private SSLContext trustFleetCa;

    private ApiLoadBenchmark(Params p, Path dir) {
        this.p = p;
        this.dir = dir;
    }

    public static void main(String[] args) throws Exception {
        Params p = Params.parse(args);
        Path dir = Files.createTempDirectory("fleet-api-bench");
        new ApiLoadBenchmark(p, dir).run();
        System.exit(0); // HiveMQ's and the HTTP clients' threads would keep the JVM
    }

    private void run() throws Exception {
        System.out.printf("machine: %d cores, load average %s; %s; API sockets TCP_NODELAY %s (-Dsun.net.httpserver.nodelay)%n",
                Runtime.getRuntime().availableProcessors(), loadAverage(), p, System.getProperty("sun.net.httpserver.nodelay", "false"));
        keys = TestFleet.keys(dir);
        FleetServerConfig config = FleetServerConfig.defaults(dir.resolve("data")).withKeyDir(TestFleet.serverOnlyKeys(dir))
                .withListen("127.0.0.1", Mosquitto.freePort()).withApi(0);
        server = FleetServer.start(config, warnings());
        try {
            origin = "https://127.0.0.1:" + server.apiPort().orElseThrow();
            trustFleetCa = TlsSockets.trustOnly(keys.caCertificate());
            fill();
            token = LocalFleetClient.onDatabase(server.database(), null, null, Clock.systemUTC(), EventSink.NONE).createToken("bench", Role.VIEWER)
                    .secret();
            long t0 = System.nanoTime();
            try (ReportingAgents agents = ReportingAgents.connect(server.deviceBrokerUrl(), keys, agentDevices(), Duration.ofSeconds(p.reportSeconds),
                    p.connects)) {
                System.out.printf("%d agents connected over TLS in %.1f s%n", agents.size(), (System.nanoTime() - t0) / 1e9);
                checkWalk();
                measure(agents);
            }
        } finally {
            server.close();
        }
    }

    private void measure(ReportingAgents agents) throws Exception {
        List<String[]> rows = new ArrayList<>();
        long sent0 = agents.sent();
        long applied0 = applied();
        long t0 = System.nanoTime();
        String what = "GET /devices?version=V&limit=" + p.pageSize + " (HTTPS, token, JSON)";
        rows.add(row("API, 1 client back to back", phase(1, Duration.ZERO, i -> new ApiPages(i))));
        Latencies busy = phase(p.clients, Duration.ZERO, i -> new ApiPages(i));
        rows.add(row("API, " + p.clients + " clients back to back", busy));
        rows.add(row("API, " + p.clients + " clients, 1 request each per " + p.paceMs + " ms",
                phase(p.clients, Duration.ofMillis(p.paceMs), i -> new ApiPages(i))));
        double seconds = (System.nanoTime() - t0) / 1e9;
        long sent = agents.sent() - sent0;
        long applied = applied() - applied0;
        if (p.sideBySide != 0) {
            try (LocalFleetClient cli = LocalFleetClient.open(dir.resolve("data"), null, null, Clock.systemUTC(), EventSink.NONE)) {
                rows.add(row("CLI's local client (LocalFleetClient.devices), 1 thread", phase(1, Duration.ZERO, i -> new LocalPages(cli, i))));
            }
            try (Connection c = DriverManager.getConnection(Database.h2Url(dir.resolve("data")))) {
                rows.add(row("SQL alone (DeviceStore.page, autocommit, no commit to sync), 1 thread",
                        phase(1, Duration.ZERO, i -> new SqlPages(c, i))));
            }
        }
        List<DashboardFirstLoad.Load> loads = new ArrayList<>();
        DashboardFirstLoad dashboard = new DashboardFirstLoad(origin, trustFleetCa, token);
        dashboard.once(); // the server's first TLS handshakes and classes, not the browser's
        for (int i = 0; i < p.loads; i++) {
            loads.add(dashboard.once());
        }
        agents.stopReporting();

        System.out.println();
        System.out.printf("%d devices (%d per version), pages of %d, %d agents reporting every %d s, %s measured per row after %s warm-up%n",
                p.devices, p.devices / p.versions, p.pageSize, agents.size(), p.reportSeconds, p.seconds + " s", p.warmup + " s");
        System.out.printf("%-72s | %8s | %7s | %7s | %7s | %7s | %6s | %s%n", what, "requests", "req/s", "p50 ms", "p99 ms", "max ms", "errors", "JVM CPU");
        for (String[] r : rows) {
            System.out.printf("%-72s | %8s | %7s | %7s | %7s | %7s | %6s | %s%n", (Object[]) r);
        }
        System.out.printf("%nstate reports during the API rows: %d sent (%.0f/s), %d applied by the server (%.0f/s); connections lost %d,"
                + " reports not acknowledged %d%n", sent, sent / seconds, applied, applied / seconds, agents.lost(), agents.failedPublishes());
        System.out.printf("where the CPU went with %d clients back to back (CPU seconds over %d s, by thread):", p.clients, p.seconds);
        busy.cpuByThreads().entrySet().stream().limit(10).forEach(e -> System.out.printf(" %s %.1f;", e.getKey(), e.getValue()));
        double javaThreads = busy.cpuByThreads().values().stream().mapToDouble(Double::doubleValue).sum();
        System.out.printf(" JIT compiler, GC and other JVM threads %.1f; the whole JVM %.1f of %d%n",
                busy.cpuShare() * p.seconds * CORES - javaThreads, busy.cpuShare() * p.seconds * CORES, p.seconds * CORES);
        double[] ms = loads.stream().mapToDouble(DashboardFirstLoad.Load::millis).sorted().toArray();
        DashboardFirstLoad.Load l = loads.get(0);
        System.out.printf("dashboard first load (index.html, app.css, actions.js, app.js, icon.svg, /me, /summary; new client each): %d loads,"
                + " median %.1f ms, slowest %.1f ms; %,d body bytes as sent (Content-Encoding %s) + ~%,d header bytes; gzip would send %,d body bytes%n",
                ms.length, ms[ms.length / 2], ms[ms.length - 1], l.bodyBytes(), l.contentEncoding(), l.headerBytes(), l.gzipBodyBytes());
        System.out.printf("load average after: %s%n", loadAverage());
    }

    private Latencies phase(int clients, Duration pace, IntFunction<ClientLoad.Client> client) throws InterruptedException {
        List<ClientLoad.Client> list = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            list.add(client.apply(i));
        }
        return ClientLoad.run(list, Duration.ofSeconds(p.warmup), Duration.ofSeconds(p.seconds), pace);
    }

    private static String[] row(String name, Latencies l) {
        return new String[] {name, Integer.toString(l.count()), String.format("%.0f", l.perSecond()), String.format("%.1f", l.percentile(50)),
                String.format("%.1f", l.percentile(99)), String.format("%.1f", l.max()), Integer.toString(l.errors()),
                String.format("%.0f%%", 100 * l.cpuShare())};
    }

    // ---- the fleet ------------------------------------------------------------------------------------------------

    private String id(int i) {
        return String.format("gw-%05d", i);
    }

    private String version(int i) {
        return "1." + (i % p.versions) + ".0";
    }

    private long versionNumber(int i) {
        return 1_000_000 + (i % p.versions) * 1000L;
    }

    private String board(int i) {
        return i % 3 == 0 ? "rpi4" : TestFleet.BOARD;
    }

    /** Every device straight into the server's database, as ApiServerTest does; none online until its agent says so. */
    private void fill() throws Exception {
        long t0 = System.nanoTime();
        server.database().transaction(c -> {
            DeviceStore s = new DeviceStore();
            for (int i = 0; i < p.devices; i++) {
                Map<String, String> slots = new LinkedHashMap<>();
                slots.put("A", version(i));
                slots.put("B", null);
                s.applyReport(c, new DeviceReport(id(i), board(i), version(i), versionNumber(i), "A", slots, UpdateStatus.IDLE, 1L << 30, 0,
                        "inserted", List.of()), Instant.now());
                s.setOnline(c, id(i), false, Instant.now());
            }
            return null;
        });
        System.out.printf("%,d devices written in %.1f s%n", p.devices, (System.nanoTime() - t0) / 1e9);
    }

    /** The first {@code agents} devices, spread over the versions like the rest. */
    private Map<String, ReportingAgents.Running> agentDevices() {
        Map<String, ReportingAgents.Running> m = new LinkedHashMap<>();
        for (int i = 0; i < p.agents; i++) {
            m.put(id(i), new ReportingAgents.Running(board(i), version(i), versionNumber(i)));
        }
        return m;
    }

    /** Reports the server applied: each agent's report carries its count as the uptime. */
    private long applied() throws Exception {
        return server.database().transaction(c -> Sql.one(c, "SELECT COALESCE(SUM(uptime_seconds), 0) FROM devices WHERE agent = 'bench'",
                rs -> rs.getLong(1)).orElse(0L));
    }

    /** Walks one version through the API once and checks it gets every device of it: the load measures the right thing. */
    private void checkWalk() throws Exception {
        ApiPages walker = new ApiPages(0);
        walker.counting = true;
        int pages = 0;
        do {
            walker.next();
            pages++;
        } while (walker.after != null);
        int expected = (p.devices + p.versions - 1) / p.versions;
        if (walker.seen != expected) {
            throw new IllegalStateException("walking version " + version(0) + " gave " + walker.seen + " devices, not " + expected);
        }
        System.out.printf("one walk of version %s: %d devices in %d pages, %,d bytes a page%n", version(0), walker.seen, pages, walker.lastBytes);
    }

    // ---- the clients ----------------------------------------------------------------------------------------------

    /** Pages through one version after another, following {@code next}; client {@code i} starts at version {@code i}. */
    private abstract class Pages implements ClientLoad.Client {
        int versionIndex;
        String after;
        int seen;

        Pages(int i) {
            versionIndex = i % p.versions;
        }

        String currentVersion() {
            return "1." + versionIndex + ".0";
        }

        DeviceQuery query() {
            return new DeviceQuery(null, currentVersion(), null, null, null, after, p.pageSize);
        }

        void advance(String next) {
            after = next;
            if (next == null) {
                versionIndex = (versionIndex + 1) % p.versions;
            }
        }
    }

    private final class ApiPages extends Pages {
        private final java.net.http.HttpClient http;
        int lastBytes;
        /** Parse every page and count its devices (the check walk); the load only follows {@code next}. */
        boolean counting;

        ApiPages(int i) {
            super(i);
            http = java.net.http.HttpClient.newBuilder().sslContext(trustFleetCa).version(java.net.http.HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();
        }

        @Override
        public void next() throws Exception {
            String url = origin + "/api/v1/devices?version=" + currentVersion() + "&limit=" + p.pageSize + (after == null ? "" : "&after=" + after);
            java.net.http.HttpResponse<String> r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(60)).GET().build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IOException("GET " + url + " answered " + r.statusCode() + ": " + r.body());
            }
            lastBytes = r.body().length();
            if (counting) {
                @SuppressWarnings("unchecked")
                Map<String, Object> page = (Map<String, Object>) JsonParser.parse(r.body(), 1 << 24);
                seen += ((List<?>) page.get("devices")).size();
                advance((String) page.get("next"));
            } else {
                advance(nextOf(r.body()));
            }
        }

        /** The page's {@code next}, which ApiDocs writes last: found without parsing the page, so the clock times the server. */
        private String nextOf(String body) {
            int at = body.lastIndexOf("\"next\"");
            String rest = body.substring(body.indexOf(':', at) + 1).trim();
            return rest.startsWith("null") ? null : rest.substring(1, rest.indexOf('"', 1));
        }
    }

    private final class LocalPages extends Pages {
        private final LocalFleetClient cli;

        LocalPages(LocalFleetClient cli, int i) {
            super(i);
            this.cli = cli;
        }

        @Override
        public void next() throws Exception {
            DevicePage page = cli.devices(query());
            seen += page.devices().size();
            advance(page.next());
        }
    }

    private final class SqlPages extends Pages {
        private final Connection c;

        SqlPages(Connection c, int i) throws RuntimeException {
            super(i);
            this.c = c;
        }

        @Override
        public void next() throws Exception {
            DevicePage page = new DeviceStore().page(c, query());
            seen += page.devices().size();
            advance(page.next());
        }
    }

    // ---- machine and parameters -----------------------------------------------------------------------------------

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Server warnings go to stderr: a benchmark that hides them measures a broken run. */
    private static EventSink warnings() {
        return e -> {
            if (e instanceof Event.Log log && log.level() == Event.Level.WARN) {
                System.err.println("server: " + log.task() + ": " + log.message());
            }
        };
    }

    record Params(int devices, int versions, int agents, int reportSeconds, int connects, int clients, int paceMs, int pageSize, int seconds,
                  int warmup, int loads, int sideBySide) {

        static Params parse(String[] args) {
            Map<String, String> given = new LinkedHashMap<>();
            for (String a : args) {
                int eq = a.indexOf('=');
                if (eq < 1) {
                    throw new IllegalArgumentException("arguments are name=value, not " + a);
                }
                given.put(a.substring(0, eq), a.substring(eq + 1));
            }
            Params p = new Params(get(given, "devices", 10_000), get(given, "versions", 4), get(given, "agents", 1_000),
                    get(given, "reportSeconds", 5), get(given, "connects", 16), get(given, "clients", 50), get(given, "paceMs", 1000),
                    get(given, "pageSize", 50), get(given, "seconds", 30), get(given, "warmup", 5), get(given, "loads", 10),
                    get(given, "sideBySide", 1));
            if (!given.isEmpty()) {
                throw new IllegalArgumentException("unknown parameters " + given.keySet() + "; known: " + p);
            }
            return p;
        }

        private static int get(Map<String, String> given, String name, int fallback) {
            String v = given.remove(name);
            if (v == null) {
                v = System.getProperty("bench." + name);
            }
            return v == null ? fallback : Integer.parseInt(v);
        }
    }
}
