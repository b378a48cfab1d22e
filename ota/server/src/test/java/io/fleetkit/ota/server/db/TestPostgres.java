package io.fleetkit.ota.server.db;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server for the tests: initdb into a temp dir, trust auth, listening on
 * 127.0.0.1 only (and a Unix socket in that dir), no fsync; {@link #close()} stops it and deletes
 * the dir. PostgreSQL refuses to run as root, so under root (as in CI) initdb and postgres run as
 * the {@code postgres} system user through runuser. Missing binaries fail the test: no skipping.
 */
public final class TestPostgres implements AutoCloseable {

    private static final String PACKAGE_HINT = "install the Debian package postgresql (see .ci/packages)";
    private static final Duration STARTUP = Duration.ofSeconds(60);

    private final Path bin;
    private final Path base;
    private final Path data;
    private final boolean asPostgresUser;
    private final int port;
    private final AtomicInteger databases = new AtomicInteger();
    private final AtomicInteger schemas = new AtomicInteger();
    private String schemaDatabase;
    private Process server;

    private TestPostgres(Path bin, Path base, boolean asPostgresUser, int port) {
        this.bin = bin;
        this.base = base;
        this.data = base.resolve("data");
        this.asPostgresUser = asPostgresUser;
        this.port = port;
    }

    /** Creates a cluster and starts its server; returns once it accepts connections. */
    public static TestPostgres start() throws IOException, InterruptedException, SQLException {
        Path bin = binaries();
        boolean root = ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        Path base = Files.createTempDirectory("fleetkit-pg");
        TestPostgres pg = new TestPostgres(bin, base, root, freePort());
        try {
            pg.initdb();
            pg.launch();
            return pg;
        } catch (IOException | InterruptedException | SQLException | RuntimeException | Error e) {
            pg.close();
            throw e;
        }
    }

    /** A JDBC URL of a new, empty database of its own, so tests do not see each other's rows. */
    public String createDatabase() throws SQLException {
        String name = "fleet_" + databases.incrementAndGet();
        try (Connection c = DriverManager.getConnection(url("postgres")); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return url(name);
    }

    /**
     * A JDBC URL whose current schema is a new, empty one in a database shared by the callers:
     * as separate as {@link #createDatabase()} for the server's tables, and much cheaper.
     */
    public synchronized String createSchema() throws SQLException {
        if (schemaDatabase == null) {
            schemaDatabase = createDatabase();
        }
        String name = "fleet_" + schemas.incrementAndGet();
        try (Connection c = DriverManager.getConnection(schemaDatabase); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + name);
        }
        return schemaDatabase + "&currentSchema=" + name;
    }

    /** The JDBC URL of {@code database} on this server. */
    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres";
    }

    public int port() {
        return port;
    }

    private void initdb() throws IOException, InterruptedException {
        if (asPostgresUser) {
            Files.setOwner(base, postgresUser());
        }
        run("initdb", List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "-A", "trust",
                "-E", "UTF8", "--no-locale", "--no-sync"));
        // only the loopback address and the socket in our own dir; the server listens on nothing else
        Path hba = data.resolve("pg_hba.conf");
        Files.writeString(hba, "local all all trust\nhost all all 127.0.0.1/32 trust\n");
        if (asPostgresUser) {
            Files.setOwner(hba, postgresUser());
        }
    }

    private void launch() throws IOException, InterruptedException, SQLException {
        ProcessBuilder pb = new ProcessBuilder(command(List.of(bin.resolve("postgres").toString(), "-D", data.toString(),
                "-p", Integer.toString(port), "-k", base.toString(), "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
                "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "shared_buffers=16MB")))
                .directory(base.toFile()).redirectErrorStream(true).redirectOutput(base.resolve("postgres.log").toFile());
        server = pb.start();
        long end = System.nanoTime() + STARTUP.toNanos();
        while (true) {
            try (Connection c = DriverManager.getConnection(url("postgres"))) {
                return;
            } catch (SQLException e) {
                if (!server.isAlive() || System.nanoTime() > end) {
                    throw new IllegalStateException("PostgreSQL on port " + port + " did not start (" + e.getMessage() + "):\n"
                            + log("postgres.log"), e);
                }
                Thread.sleep(50);
            }
        }
    }

    private void run(String what, List<String> args) throws IOException, InterruptedException {
        Path log = base.resolve(what + ".log");
        Process p = new ProcessBuilder(command(args)).directory(base.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(STARTUP.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(what + " did not finish:\n" + log(what + ".log"));
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(what + " exited " + p.exitValue() + ":\n" + log(what + ".log"));
        }
    }

    private List<String> command(List<String> args) {
        List<String> cmd = new ArrayList<>();
        if (asPostgresUser) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.addAll(args);
        return cmd;
    }

    private String log(String name) {
        try {
            return Files.readString(base.resolve(name));
        } catch (IOException e) {
            return "(no " + name + ": " + e.getMessage() + ")";
        }
    }

    /** {@code pg_config --bindir} when it has the server, else the newest /usr/lib/postgresql/N/bin. */
    static Path binaries() throws IOException, InterruptedException {
        List<Path> candidates = new ArrayList<>();
        try {
            Process p = new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            if (p.waitFor() == 0 && !out.isEmpty()) {
                candidates.add(Path.of(out));
            }
        } catch (IOException noPgConfig) {
            // libpq-dev is not installed; look in the Debian layout
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                versions.filter(v -> v.getFileName().toString().matches("\\d+"))
                        .sorted(Comparator.comparingInt((Path v) -> Integer.parseInt(v.getFileName().toString())).reversed())
                        .forEach(v -> candidates.add(v.resolve("bin")));
            }
        }
        for (Path dir : candidates) {
            if (Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("postgres"))) {
                return dir;
            }
        }
        throw new AssertionError("no PostgreSQL server binaries (initdb, postgres) in " + candidates + ": " + PACKAGE_HINT);
    }

    private static UserPrincipal postgresUser() throws IOException {
        try {
            return Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
        } catch (UserPrincipalNotFoundException e) {
            throw new AssertionError("running as root, PostgreSQL needs the 'postgres' system user: " + PACKAGE_HINT, e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Stops the server at once (nothing of it needs to survive) and deletes its files. */
    @Override
    public void close() {
        try {
            if (server != null && server.isAlive()) {
                try {
                    run("pg_ctl-stop", List.of(bin.resolve("pg_ctl").toString(), "stop", "-D", data.toString(), "-m", "immediate", "-w"));
                } catch (IOException | IllegalStateException e) {
                    server.destroyForcibly();
                }
                if (!server.waitFor(30, TimeUnit.SECONDS)) {
                    server.destroyForcibly();
                }
            }
            try (Stream<Path> files = Files.walk(base)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            // a leftover temp dir is harmless
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
