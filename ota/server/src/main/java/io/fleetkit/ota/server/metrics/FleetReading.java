package io.fleetkit.ota.server.metrics;

import io.fleetkit.ota.server.db.Database;
import io.fleetkit.ota.server.db.DeviceGroup;
import io.fleetkit.ota.server.db.DeviceStore;
import io.fleetkit.ota.server.db.Sql;
import io.fleetkit.ota.server.rollout.ActivePhases;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Consumer;

/**
 * What one scrape reads from the database: whether it answered a trivial query and how long that took, then the
 * fleet in aggregates (devices grouped by board, version, state and online; each active rollout's current phase).
 * A fixed number of queries, whatever the fleet's size. When the database fails, {@code up} is false and the
 * aggregates are empty (absent from the scrape, rather than stale).
 */
record FleetReading(boolean up, double pingSeconds, List<DeviceGroup> devices, List<ActivePhases.Phase> rollouts) {

    /** Reads the fleet from {@code db}; a failure is handed to {@code failed} and read as a database that is down. */
    static FleetReading read(Database db, Consumer<SQLException> failed) {
        long start = System.nanoTime();
        try {
            db.transaction(c -> Sql.count(c, "SELECT 1"));
            double ping = (System.nanoTime() - start) / 1e9;
            return db.transaction(c -> new FleetReading(true, ping, new DeviceStore().groups(c), ActivePhases.read(c)));
        } catch (SQLException e) {
            failed.accept(e);
            return down((System.nanoTime() - start) / 1e9);
        }
    }

    static FleetReading down(double pingSeconds) {
        return new FleetReading(false, pingSeconds, List.of(), List.of());
    }
}
