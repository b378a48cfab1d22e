package io.fleetkit.ota.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.events.Event;
import io.fleetkit.ota.protocol.UpdateState;
import io.fleetkit.ota.server.TestFleet;
import io.fleetkit.ota.server.db.Database;
import io.fleetkit.ota.server.db.DeviceStore;
import io.fleetkit.ota.server.db.Sql;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The metrics on a database without a server: the fleet's aggregates and an active rollout's current phase as the
 * scrape shows them, then a database that fails and a broker link that is lost. H2 here; PostgreSQL in the subclass.
 */
class ServerMetricsTest {

    String freshUrl() throws Exception {
        return TestFleet.memoryDb();
    }

    @Test
    void readsTheFleetInAggregatesAndADatabaseThatFailsIsDownWithItsGaugesGoneNotStale() throws Exception {
        List<Event> events = new CopyOnWriteArrayList<>();
        AtomicBoolean broker = new AtomicBoolean(true);
        try (Database db = Database.open(freshUrl()); ServerMetrics metrics = new ServerMetrics(db, broker::get, events::add)) {
            db.transaction(c -> {
                DeviceStore devices = new DeviceStore();
                devices.applyReport(c, TestFleet.report("gw-1", "1.0.0", UpdateState.COMMITTED, null), Instant.now());
                devices.applyReport(c, TestFleet.report("gw-2", "1.0.0", UpdateState.ROLLED_BACK, "2.0.0"), Instant.now());
                devices.applyReport(c, TestFleet.report("gw-3", "2.0.0", UpdateState.IDLE, null), Instant.now());
                devices.setOnline(c, "gw-3", true, Instant.now());
                devices.setOnline(c, "gw-4", false, Instant.now()); // heard of, never reported
                // a rollout in its first of two phases (gw-1 and gw-2), and one that ended
                Sql.update(c, "INSERT INTO rollouts (id, seq, target, selector, phases, max_failures, timeout_ms, state, current_phase,"
                        + " phase_count, created_at, updated_at) VALUES ('r-5', 5, '2.0.0', '', '2,100%', 0.5, 60000, 'RUNNING', 0, 2, 0, 0),"
                        + " ('r-4', 4, '1.0.0', '', '100%', 0.5, 60000, 'FINISHED', 0, 1, 0, 0)");
                Sql.update(c, "INSERT INTO rollout_devices (rollout_id, device_id, phase, bundle_sha256, state, updated_at) VALUES"
                        + " ('r-5', 'gw-1', 0, 'x', 'SUCCEEDED', 0), ('r-5', 'gw-2', 0, 'x', 'FAILED', 0), ('r-5', 'gw-3', 1, 'x', 'PENDING', 0),"
                        + " ('r-4', 'gw-1', 0, 'x', 'SUCCEEDED', 0)");
                return null;
            });
            String up = metrics.scrape();
            for (String line : List.of("fleetkit_database_up 1.0", "fleetkit_broker_connected 1.0", "fleetkit_devices_online 1.0",
                    "fleetkit_devices_offline 3.0", "fleetkit_devices_by_state{state=\"committed\"} 1.0",
                    "fleetkit_devices_by_state{state=\"rolled_back\"} 1.0", "fleetkit_devices_by_state{state=\"idle\"} 2.0",
                    "fleetkit_devices_by_version{board=\"" + TestFleet.BOARD + "\",version=\"1.0.0\"} 2.0",
                    "fleetkit_devices_by_version{board=\"" + TestFleet.BOARD + "\",version=\"2.0.0\"} 1.0",
                    "fleetkit_devices_by_version{board=\"unknown\",version=\"unknown\"} 1.0",
                    "fleetkit_rollout_state{rollout=\"r-5\",state=\"running\",target=\"2.0.0\"} 1.0",
                    "fleetkit_rollout_state{rollout=\"r-5\",state=\"paused\",target=\"2.0.0\"} 0.0",
                    "fleetkit_rollout_phase{rollout=\"r-5\"} 1.0", "fleetkit_rollout_phases{rollout=\"r-5\"} 2.0",
                    "fleetkit_rollout_phase_devices{rollout=\"r-5\"} 2.0", "fleetkit_rollout_phase_devices_done{rollout=\"r-5\"} 2.0",
                    "fleetkit_rollout_phase_devices_failed{rollout=\"r-5\"} 1.0")) {
                assertTrue(up.contains("\n" + line + "\n"), line + " in\n" + up);
            }
            assertFalse(up.contains("rollout=\"r-4\""), "an ended rollout is not shown");

            db.transaction(c -> Sql.update(c, "DROP TABLE devices")); // the fleet query now fails
            broker.set(false);
            String down = metrics.scrape();
            assertTrue(down.contains("\nfleetkit_database_up 0.0\n"), down);
            assertTrue(down.contains("\nfleetkit_broker_connected 0.0\n"), down);
            assertFalse(down.contains("\nfleetkit_devices_"), "no stale fleet gauges:\n" + down);
            assertFalse(down.contains("\nfleetkit_rollout_"), "no stale rollout gauges:\n" + down);
            assertTrue(down.contains("\njvm_memory_used_bytes{"), "the rest is still served");
            assertEquals(1, events.stream().filter(e -> e.toString().contains("the database did not answer the metrics' queries")).count(),
                    events.toString());
        }
    }
}
