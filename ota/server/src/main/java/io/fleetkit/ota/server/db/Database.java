package io.fleetkit.ota.server.db;

import io.fleetkit.events.FleetkitException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * The fleet's database: one JDBC connection, used by one unit of work at a time, each in its
 * own transaction. H2 (embedded, file in the data dir, {@code AUTO_SERVER} so the CLI can open it
 * while the server runs) or any JDBC URL whose driver is on the class path (PostgreSQL is).
 * The SQL is portable: no upserts, no vendor types.
 */
public final class Database implements AutoCloseable {

    /** One piece of work in a transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    static {
        io.fleetkit.ota.server.logging.LibraryLogging.configure();
        // H2's AUTO_SERVER listens for the other processes of the fleet (the CLI) with -tcpAllowOthers, on every
        // interface unless told otherwise: on loopback only, unless the operator chose an address (-Dh2.bindAddress).
        // Set before H2 reads its system properties, which it does once.
        if (System.getProperty("h2.bindAddress") == null) {
            System.setProperty("h2.bindAddress", "127.0.0.1");
        }
    }

    /** How often a transaction that lost to another one (lock timeout, deadlock) is tried in all. */
    private static final int ATTEMPTS = 5;

    private final String url;
    private final DurableCommit durable;
    private Connection connection;

    private Database(String url) {
        this.url = url;
        this.durable = DurableCommit.forUrl(url);
    }

    /**
     * The embedded default: {@code <dataDir>/fleet.mv.db}, shared with other processes of the same user on this machine
     * through H2's AUTO_SERVER mode.
     * A row lock is waited for up to 10 s (H2's default, 1 s, ran out on a busy 2-core machine while the server's
     * tick held a rollout row, and an operator's abort failed); PostgreSQL waits without a limit by default.
     * The auto-server listens on loopback only (see the static initializer); H2's own log goes to SLF4J, so into the
     * server's events. Commits are durable before {@link #transaction} returns ({@link DurableCommit}: WRITE_DELAY=0 and
     * an fsync per commit).
     */
    public static String h2Url(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("fleet") + ";AUTO_SERVER=TRUE;LOCK_TIMEOUT=10000;TRACE_LEVEL_FILE=4;WRITE_DELAY=0";
    }

    /** Opens {@code url} and brings its schema up to date. */
    public static Database open(String url) throws SQLException {
        Database db = new Database(url);
        try {
            db.connect();
            SchemaMigrations.apply(db);
            return db;
        } catch (SQLException | RuntimeException e) {
            db.close();
            throw e;
        }
    }

    public String url() {
        return url;
    }

    /**
     * Runs {@code work} in a transaction: committed when it returns, rolled back when it throws. A transaction that
     * lost a lock wait, a deadlock or a serialization conflict to another one is rolled back and run again, up to
     * {@value #ATTEMPTS} times: so {@code work} must do nothing outside the database.
     */
    public synchronized <T> T transaction(Work<T> work) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                return once(work);
            } catch (SQLException e) {
                if (attempt >= ATTEMPTS || !TransientFailure.is(e)) {
                    throw e;
                }
                TransientFailure.backOff(attempt);
            }
        }
    }

    private <T> T once(Work<T> work) throws SQLException {
        Connection c = connection();
        try {
            T result = work.run(c);
            c.commit();
            durable.afterCommit(c);
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
                dropConnection();
            }
            throw e;
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null || !connection.isValid(5)) {
            dropConnection();
            connect();
        }
        return connection;
    }

    private void connect() throws SQLException {
        try {
            connection = DriverManager.getConnection(durable.url());
        } catch (SQLException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("No suitable driver")) {
                throw new FleetkitException("server.no-jdbc-driver", "no JDBC driver for " + url,
                        "Use a jdbc:h2: or jdbc:postgresql: URL.", e);
            }
            throw e;
        }
        connection.setAutoCommit(false);
        connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
    }

    private void dropConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // a broken connection is replaced either way
            }
            connection = null;
        }
    }

    @Override
    public synchronized void close() {
        dropConnection();
    }
}
