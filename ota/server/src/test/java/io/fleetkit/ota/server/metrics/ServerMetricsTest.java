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

/** The metrics without a server: what a failing database and a lost broker link look like in the scrape. */
class ServerMetricsTest {

    @Test
    void aDatabaseThatFailsIsDownAndItsGaugesLeaveTheScrapeRatherThanGoStale() throws Exception {
        List<Event> events = new CopyOnWriteArrayList<>();
        AtomicBoolean broker = new AtomicBoolean(true);
        try (Database db = Database.open(TestFleet.memoryDb()); ServerMetrics metrics = new ServerMetrics(db, broker::get, events::add)) {
            db.transaction(c -> new DeviceStore().applyReport(c, TestFleet.report("gw-1", "1.0.0", UpdateState.IDLE, null), Instant.now()));
            String up = metrics.scrape();
            assertTrue(up.contains("\nfleetkit_database_up 1.0\n"), up);
            assertTrue(up.contains("\nfleetkit_broker_connected 1.0\n"), up);
            assertTrue(up.contains("\nfleetkit_devices_offline 1.0\n"), up);
            assertTrue(up.contains("\nfleetkit_devices_by_version{board=\"" + TestFleet.BOARD + "\",version=\"1.0.0\"} 1.0\n"), up);

            db.transaction(c -> Sql.update(c, "DROP TABLE devices")); // the fleet query now fails
            broker.set(false);
            String down = metrics.scrape();
            assertTrue(down.contains("\nfleetkit_database_up 0.0\n"), down);
            assertTrue(down.contains("\nfleetkit_broker_connected 0.0\n"), down);
            assertFalse(down.contains("\nfleetkit_devices_"), "no stale fleet gauges:\n" + down);
            assertTrue(down.contains("\njvm_memory_used_bytes{"), "the rest is still served");
            assertEquals(1, events.stream().filter(e -> e.toString().contains("the database did not answer the metrics' queries")).count(),
                    events.toString());
        }
    }
}
