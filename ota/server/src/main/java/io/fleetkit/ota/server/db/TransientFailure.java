package io.fleetkit.ota.server.db;

import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A database failure that says nothing about the work itself, only that another transaction was in
 * the way: running the same work again is the remedy. H2: lock timeout (50200), deadlock (40001),
 * concurrent update (90131); PostgreSQL and the SQL standard: serialization failure (40001),
 * deadlock (40P01), lock not available (55P03).
 */
final class TransientFailure {

    private TransientFailure() {
    }

    static boolean is(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                String state = s.getSQLState();
                int code = s.getErrorCode();
                if ("40001".equals(state) || "40P01".equals(state) || "55P03".equals(state)
                        || (isH2(s) && (code == 50200 || code == 40001 || code == 90131))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isH2(SQLException s) {
        return s.getClass().getName().startsWith("org.h2.");
    }

    /** A short, growing, jittered pause, so two writers that collided do not collide again in step. */
    static void backOff(int attempt) throws SQLException {
        long millis = (25L << Math.min(attempt, 6)) + ThreadLocalRandom.current().nextLong(25);
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting to retry a transaction", e);
        }
    }
}
