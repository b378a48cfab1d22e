package io.fleetkit.ota.server.db;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Named counters in the {@code counters} table, for keys people read ({@code r-7}): each
 * {@link #next} increments the counter's row, which stays locked until the transaction ends, so
 * transactions of several servers sharing one database take turns and never get the same number
 * ({@code MAX(seq)+1} gave two of them the same). A rolled-back transaction gives its number back.
 */
public final class Counters {

    public static final String ROLLOUTS = "rollouts";
    public static final String NETBOOT_ASSIGNMENTS = "netboot_assignments";
    public static final String AUDIT_LOG = "audit_log";

    /** The counter's next value, in {@code c}'s transaction. */
    public long next(Connection c, String name) throws SQLException {
        if (Sql.update(c, "UPDATE counters SET last_value = last_value + 1 WHERE name = ?", name) != 1) {
            throw new SQLException("no counter '" + name + "' in the database (schema step 5 makes them)");
        }
        return Sql.count(c, "SELECT last_value FROM counters WHERE name = ?", name);
    }
}
