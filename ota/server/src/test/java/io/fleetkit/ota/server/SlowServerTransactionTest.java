package io.fleetkit.ota.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fleetkit.events.EventSink;
import io.fleetkit.keys.FleetKeys;
import io.fleetkit.ota.protocol.OnlineStatus;
import io.fleetkit.ota.protocol.UpdateState;
import io.fleetkit.ota.server.bundles.BundleStore;
import io.fleetkit.ota.server.db.Database;
import io.fleetkit.ota.server.devices.DeviceMessages;
import io.fleetkit.ota.server.rollout.PhasePlan;
import io.fleetkit.ota.server.rollout.Rollout;
import io.fleetkit.ota.server.rollout.RolloutEngine;
import io.fleetkit.ota.server.rollout.RolloutRequest;
import io.fleetkit.ota.server.rollout.RolloutState;
import io.fleetkit.testsupport.Await;
import io.fleetkit.testsupport.TestClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays the power-cut scenario's failure on a loaded 2-core machine: `fleet rollout abort` waited
 * for the rollout row while the server's tick held it, gave up after H2's default lock timeout (1 s)
 * with "Timeout trying to lock table ROLLOUTS", printed nothing on stdout, and the next rollout was
 * refused. The embedded database, opened as the server and the CLI open it, now waits longer and a
 * transaction that loses a lock wait is run again.
 */
class SlowServerTransactionTest {

    @TempDir
    Path tmp;

    @Test
    void anOperatorsAbortOutlastsAServerTransactionThatHoldsTheRolloutForSeconds() throws Exception {
        TestClock clock = new TestClock(TestFleet.T0);
        FleetKeys keys = TestFleet.keys(tmp);
        String url = Database.h2Url(tmp.resolve("data"));
        try (Database cli = Database.open(url)) {
            RolloutEngine engine = new RolloutEngine(cli, clock, EventSink.NONE);
            DeviceMessages messages = new DeviceMessages(cli, engine, clock, EventSink.NONE);
            new BundleStore(cli, tmp.resolve("data"), keys.signingKey().publicKey(), clock, EventSink.NONE)
                    .publish(TestFleet.bundle(tmp, keys, "2.0.0", 2_000_000, TestFleet.BOARD, 20_000, 4096), Optional.empty());
            messages.onOnline("gw-000", OnlineStatus.online(clock.instant()).encode());
            messages.onState("gw-000", TestFleet.report("gw-000", "1.0.0", UpdateState.IDLE, null).encode());
            Rollout r = engine.create(RolloutRequest.of("2.0.0").withPhases(PhasePlan.parse("100%")));
            engine.tick();

            try (Connection server = DriverManager.getConnection(url)) {
                server.setAutoCommit(false);
                try (var st = server.prepareStatement("UPDATE rollouts SET state = 'PAUSED' WHERE id = ?")) {
                    st.setString(1, r.id());
                    assertEquals(1, st.executeUpdate());
                }
                CompletableFuture<Rollout> abort = new CompletableFuture<>();
                Thread operator = new Thread(() -> {
                    try {
                        abort.complete(engine.abort(null));
                    } catch (Throwable t) {
                        abort.completeExceptionally(t);
                    }
                });
                operator.start();
                Await.until("the operator's abort to wait for the row", Duration.ofSeconds(30),
                        () -> operator.getState() == Thread.State.WAITING || operator.getState() == Thread.State.TIMED_WAITING);
                // The injected fault: a server transaction that takes 2.5 s (a starved tick), more than H2's default 1 s.
                Thread.sleep(2500);
                server.commit();
                assertEquals(RolloutState.ABORTED, abort.get(60, TimeUnit.SECONDS).state());
            }
            engine.create(RolloutRequest.of("2.0.0").withPhases(PhasePlan.parse("100%")));
        }
    }
}
