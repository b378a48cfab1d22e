package io.fleetkit.ota.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.events.EventSink;
import io.fleetkit.events.FleetkitException;
import io.fleetkit.keys.FleetKeys;
import io.fleetkit.ota.protocol.DesiredUpdate;
import io.fleetkit.ota.protocol.OnlineStatus;
import io.fleetkit.ota.protocol.UpdateEvent;
import io.fleetkit.ota.protocol.UpdateState;
import io.fleetkit.ota.server.bundles.BundleStore;
import io.fleetkit.ota.server.bundles.PublishedBundle;
import io.fleetkit.ota.server.db.Database;
import io.fleetkit.ota.server.db.DeviceStore;
import io.fleetkit.ota.server.devices.DeviceMessages;
import io.fleetkit.ota.server.db.EventStore;
import io.fleetkit.ota.server.db.DeviceRecord;
import io.fleetkit.ota.protocol.ReportOrder;
import io.fleetkit.ota.server.rollout.DeviceRolloutState;
import io.fleetkit.ota.server.rollout.DeviceSelector;
import io.fleetkit.ota.server.rollout.PhasePlan;
import io.fleetkit.ota.server.rollout.Rollout;
import io.fleetkit.ota.server.rollout.RolloutDevice;
import io.fleetkit.ota.server.rollout.RolloutEngine;
import io.fleetkit.ota.server.rollout.RolloutRequest;
import io.fleetkit.ota.server.rollout.RolloutState;
import io.fleetkit.ota.server.rollout.RolloutStatus;
import io.fleetkit.testsupport.Await;
import io.fleetkit.testsupport.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rollout engine on H2 (PostgreSQL in the subclass), devices played by their messages, time by a hand-driven clock. */
class RolloutEngineTest {

    @TempDir
    Path tmp;

    TestClock clock = new TestClock(TestFleet.T0);
    Database db;
    String url;
    FleetKeys keys;
    RolloutEngine engine;
    DeviceMessages messages;
    PublishedBundle v2;
    long seq;

    /** A new, empty database. */
    String freshUrl() throws Exception {
        return TestFleet.memoryDb();
    }

    /** A new, empty database that outlives its connections, as a server restart needs. */
    String restartableUrl() throws Exception {
        return "jdbc:h2:file:" + tmp.resolve("restart/fleet");
    }

    @BeforeEach
    void setUp() throws Exception {
        keys = TestFleet.keys(tmp);
        open(freshUrl());
        v2 = new BundleStore(db, tmp.resolve("data"), keys.signingKey().publicKey(), clock, EventSink.NONE)
                .publish(TestFleet.bundle(tmp, keys, "2.0.0", 2_000_000, TestFleet.BOARD, 20_000, 4096), Optional.empty());
    }

    void open(String url) throws Exception {
        this.url = url;
        db = Database.open(url);
        engine = new RolloutEngine(db, clock, EventSink.NONE);
        messages = new DeviceMessages(db, engine, clock, EventSink.NONE);
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    void devices(int n, String version) throws Exception {
        for (int i = 0; i < n; i++) {
            String id = String.format("gw-%03d", i);
            messages.onOnline(id, OnlineStatus.online(clock.instant()).encode());
            messages.onState(id, TestFleet.report(id, version, UpdateState.IDLE, null).encode());
        }
    }

    void succeed(String id) throws Exception {
        messages.onState(id, TestFleet.report(id, "2.0.0", UpdateState.COMMITTED, "2.0.0").encode());
    }

    void rollBack(String id) throws Exception {
        messages.onEvent(id, new UpdateEvent(id, ++seq, UpdateState.ROLLED_BACK, "2.0.0", "health.check-failed",
                "check 'http' exited 1", clock.instant()).encode());
    }

    List<String> offered(RolloutStatus s) {
        return s.devices().stream().filter(d -> d.state() == DeviceRolloutState.OFFERED).map(RolloutDevice::deviceId).toList();
    }

    DesiredUpdate desired(String id) throws Exception {
        return db.transaction(c -> new DeviceStore().find(c, id).orElseThrow().desired());
    }

    @Test
    void phasesAdvanceAsTheirDevicesSucceed() throws Exception {
        devices(20, "1.0.0");
        Rollout r = engine.create(RolloutRequest.of("2.0.0"));
        assertEquals(RolloutState.CREATED, r.state());
        assertEquals(4, r.phaseCount());
        assertNull(desired("gw-000"));

        engine.tick();
        RolloutStatus s = engine.status(r.id());
        assertEquals(RolloutState.RUNNING, s.rollout().state());
        assertEquals(List.of("gw-000"), offered(s));
        DesiredUpdate d = desired("gw-000");
        assertEquals("2.0.0", d.version());
        assertEquals(r.id(), d.rollout());
        assertEquals(v2.ref(), d.bundle());
        assertNull(desired("gw-001"));

        succeed("gw-000");
        engine.tick();
        s = engine.status(r.id());
        assertEquals(1, s.rollout().currentPhase());
        assertEquals(List.of("gw-001"), offered(s)); // 10% of 20 = 2 devices in total

        succeed("gw-001");
        engine.tick();
        s = engine.status(r.id());
        assertEquals(2, s.rollout().currentPhase());
        assertEquals(8, offered(s).size()); // 50% = 10 in total

        for (String id : offered(s)) {
            succeed(id);
        }
        engine.tick();
        s = engine.status(r.id());
        assertEquals(3, s.rollout().currentPhase());
        assertEquals(10, offered(s).size());
        for (String id : offered(s)) {
            succeed(id);
        }
        engine.tick();
        s = engine.status(r.id());
        assertEquals(RolloutState.FINISHED, s.rollout().state());
        assertEquals(20, s.totals().succeeded());
    }

    @Test
    void pausesWhenAPhasesFailureSharePassesTheLimit() throws Exception {
        devices(10, "1.0.0");
        Rollout r = engine.create(RolloutRequest.of("2.0.0").withPhases(PhasePlan.parse("50%,100%")).withMaxFailures(0.2));
        engine.tick();
        List<String> phase1 = offered(engine.status(r.id()));
        assertEquals(5, phase1.size());

        rollBack(phase1.get(0)); // 1 of 5 = 20%: not more than allowed
        engine.tick();
        assertEquals(RolloutState.RUNNING, engine.status(r.id()).rollout().state());

        rollBack(phase1.get(1)); // 2 of 5 = 40%
        engine.tick();
        RolloutStatus s = engine.status(r.id());
        assertEquals(RolloutState.PAUSED, s.rollout().state());
        assertTrue(s.rollout().reason().contains("2 of 5"), s.rollout().reason());
        assertEquals("ROLLED_BACK: health.check-failed", s.devices().stream()
                .filter(d -> d.deviceId().equals(phase1.get(1))).findFirst().orElseThrow().reason());

        // paused: the others finish, but no new phase starts
        for (String id : phase1.subList(2, 5)) {
            succeed(id);
        }
        engine.tick();
        assertEquals(0, engine.status(r.id()).rollout().currentPhase());

        engine.resume(r.id());
        engine.tick();
        s = engine.status(r.id());
        assertEquals(RolloutState.RUNNING, s.rollout().state());
        assertEquals(1, s.rollout().currentPhase());
        assertEquals(5, offered(s).size());
    }

    @Test
    void aRepeatedFailureEventCountsOnce() throws Exception {
        devices(10, "1.0.0");
        Rollout r = engine.create(RolloutRequest.of("2.0.0").withPhases(PhasePlan.parse("50%,100%")).withMaxFailures(0.2));
        engine.tick();
        String first = offered(engine.status(r.id())).get(0);
        UpdateEvent e = new UpdateEvent(first, 7, UpdateState.FAILED, "2.0.0", "bundle.chunk-mismatch", "chunk 3", clock.instant());
        messages.onEvent(first, e.encode());
        messages.onEvent(first, e.encode());
        engine.tick();
        RolloutStatus s = engine.status(r.id());
        assertEquals(1, s.phases().get(0).failures());
        assertEquals(RolloutState.RUNNING, s.rollout().state());
        assertEquals(1, new io.fleetkit.ota.server.db.EventStore().forDevice(db.transaction(c -> c), first, 10).size());
    }

    @Test
    void silentDevicesTimeOutAndCountAsFailures() throws Exception {
        devices(5, "1.0.0");
        Rollout r = engine.create(RolloutRequest.of("2.0.0").withTimeout(Duration.ofMinutes(10)));
        engine.tick();
        clock.advance(Duration.ofMinutes(9));
        engine.tick();
        assertEquals(RolloutState.RUNNING, engine.status(r.id()).rollout().state());
        clock.advance(Duration.ofMinutes(1));
        engine.tick();
        RolloutStatus s = engine.status(r.id());
        assertEquals(DeviceRolloutState.TIMED_OUT, s.devices().get(0).state());
        assertEquals(RolloutState.PAUSED, s.rollout().state());
    }

    @Test
    void progressReportsRestartTheTimeout() throws Exception {
        devices(5, "1.0.0");
        Rollout r = engine.create(RolloutRequest.of("2.0.0").withTimeout(Duration.ofMinutes(10)));
        engine.tick();
        clock.advance(Duration.ofMinutes(8));
        messages.onState("gw-000", TestFleet.report("gw-000", "1.0.0", UpdateState.DOWNLOADING, "2.0.0").encode());
        clock.advance(Duration.ofMinutes(8));
        engine.tick();
        assertEquals(DeviceRolloutState.OFFERED, engine.status(r.id()).devices().get(0).state());
    }

    @Test
    void serverDowntimeLongerThanTheTimeoutIsNotDeviceSilence() throws Exception {
        String url = restartableUrl();
        db.close();
        open(url);
        new BundleStore(db, tmp.resolve("data2"), keys.signingKey().publicKey(), clock, EventSink.NONE)
                .publish(TestFleet.bundle(tmp, keys, "2.0.0", 2_000_000, TestFleet.BOARD, 20_000, 4096), Optional.empty());
        devices(5, "1.0.0");
        Rollout r = engine.create(RolloutRequest.of("2.0.0").withPhases(PhasePlan.parse("5")).withTimeout(Duration.ofMinutes(10)));
        engine.tick();
        messages.onState("gw-000", TestFleet.report("gw-000", "1.0.0", UpdateState.DOWNLOADING, "2.0.0").encode());
        db.close();

        clock.advance(Duration.ofHours(1)); // the server is down for six timeouts
        open(url);
        engine.silenceCountsFromNow(); // as the server does when it (re)connects to its broker
        engine.tick();
        RolloutStatus s = engine.status(r.id());
        assertEquals(RolloutState.RUNNING, s.rollout().state());
        assertEquals(5, offered(s).size(), "one timeout of grace from the restart: " + s.devices());

        clock.advance(Duration.ofMinutes(9));
        for (String id : List.of("gw-000", "gw-001", "gw-002")) {
            messages.onState(id, TestFleet.report(id, "1.0.0", UpdateState.DOWNLOADING, "2.0.0").encode());
        }
        clock.advance(Duration.ofMinutes(1)); // the grace is over for the two that stayed silent
        engine.tick();
        s = engine.status(r.id());
        assertEquals(List.of("gw-000", "gw-001", "gw-002"), offered(s));
        assertEquals(List.of("gw-003", "gw-004"), s.devices().stream().filter(d -> d.state() == DeviceRolloutState.TIMED_OUT)
                .map(RolloutDevice::deviceId).toList());
    }

    @Test
    void aTimedOutDeviceThatReportsProgressIsOfferedAgainAndItsSuccessCounts() throws Exception {
        devices(2, "1.0.0");
        Rollout r = engine.create(RolloutRequest.of("2.0.0").withPhases(PhasePlan.parse("2")).withTimeout(Duration.ofMinutes(10)));
        engine.tick();
        clock.advance(Duration.ofMinutes(10));
        engine.tick();
        assertEquals(List.of(DeviceRolloutState.TIMED_OUT, DeviceRolloutState.TIMED_OUT),
                engine.status(r.id()).devices().stream().map(RolloutDevice::state).toList());
        assertEquals(RolloutState.PAUSED, engine.status(r.id()).rollout().state());

        messages.onEvent("gw-000", new UpdateEvent("gw-000", ++seq, UpdateState.INSTALLING, "2.0.0", null, null, clock.instant()).encode());
        messages.onState("gw-001", TestFleet.report("gw-001", "1.0.0", UpdateState.DOWNLOADING, "2.0.0").encode());
        RolloutStatus s = engine.status(r.id());
        assertEquals(List.of("gw-000", "gw-001"), offered(s), "back where their messages say: " + s.devices());

        succeed("gw-000");
        messages.onEvent("gw-001", new UpdateEvent("gw-001", ++seq, UpdateState.FAILED, "2.0.0", "bundle.chunk-mismatch", null,
                clock.instant()).encode());
        s = engine.status(r.id());
        assertEquals(DeviceRolloutState.SUCCEEDED, s.devices().get(0).state());
        assertEquals(DeviceRolloutState.FAILED, s.devices().get(1).state());
    }

    /**
     * A broker may deliver a device's messages out of order (Mosquitto did, under load, to a client that acknowledged out of
     * order; a cluster or a reconnect may): a report older than the applied one, or an event older than the newest, must
     * not take the device or its rollout back.
     */
    @Test
    void messagesDeliveredAfterNewerOnesDoNotTakeTheDeviceOrItsRolloutBack() throws Exception {
        devices(1, "1.0.0");
        Rollout r = engine.create(RolloutRequest.of("2.0.0").withPhases(PhasePlan.parse("1")));
        engine.tick();
        String epoch = "00000000000000aa";
        ReportOrder beforeReboot = new ReportOrder(epoch, 1, 30);
        ReportOrder afterReboot = new ReportOrder(epoch, 2, 3);
        messages.onState("gw-000", TestFleet.report("gw-000", "2.0.0", UpdateState.COMMITTED, "2.0.0").withOrder(afterReboot).encode());
        messages.onState("gw-000", TestFleet.report("gw-000", "1.0.0", UpdateState.DOWNLOADING, "2.0.0").withOrder(beforeReboot).encode());
        DeviceRecord d = db.transaction(c -> new DeviceStore().find(c, "gw-000").orElseThrow());
        assertEquals("2.0.0", d.version(), "the late report from before the reboot is not applied");
        assertEquals(UpdateState.COMMITTED, d.updateState());
        assertEquals(DeviceRolloutState.SUCCEEDED, engine.status(r.id()).devices().get(0).state());
        // the same report again, and a newer one of the same run, are applied
        messages.onState("gw-000", TestFleet.report("gw-000", "2.0.0", UpdateState.IDLE, null).withOrder(new ReportOrder(epoch, 2, 4)).encode());
        assertEquals(UpdateState.IDLE, db.transaction(c -> new DeviceStore().find(c, "gw-000").orElseThrow()).updateState());
        // a wiped data partition counts anew, under a new epoch: taken as newer
        messages.onState("gw-000", TestFleet.report("gw-000", "2.0.0", UpdateState.COMMITTED, "2.0.0")
                .withOrder(new ReportOrder("00000000000000bb", 1, 1)).encode());
        assertEquals(UpdateState.COMMITTED, db.transaction(c -> new DeviceStore().find(c, "gw-000").orElseThrow()).updateState());
    }

    @Test
    void anEventDeliveredAfterANewerOneIsKeptButDoesNotMoveTheRollout() throws Exception {
        devices(1, "1.0.0");
        Rollout r = engine.create(RolloutRequest.of("2.0.0").withPhases(PhasePlan.parse("1")));
        engine.tick();
        long late = ++seq;
        long newest = ++seq;
        messages.onEvent("gw-000", new UpdateEvent("gw-000", newest, UpdateState.INSTALLING, "2.0.0", null, null, clock.instant()).encode());
        messages.onEvent("gw-000", new UpdateEvent("gw-000", late, UpdateState.FAILED, "2.0.0", "download.http-failed", null,
                clock.instant()).encode());
        assertEquals(DeviceRolloutState.OFFERED, engine.status(r.id()).devices().get(0).state(),
                "an event older than the newest does not fail the device");
        assertEquals(2, db.transaction(c -> new EventStore().forDevice(c, "gw-000", 10)).size(), "both are in the history");
    }

    /**
     * A device whose data partition was wiped (reflashed, or its data formatted) counts its events from 1 again under a new
     * epoch: those are new events that move the rollout, not repeats of the old count's seq 1 and 2.
     */
    @Test
    void aWipedDeviceCountingItsEventsAgainUnderANewEpochMovesTheRollout() throws Exception {
        devices(1, "1.0.0");
        Rollout r = engine.create(RolloutRequest.of("2.0.0").withPhases(PhasePlan.parse("1")).withMaxFailures(1.0));
        engine.tick();
        String before = "00000000000000aa";
        String after = "00000000000000bb";
        messages.onEvent("gw-000", new UpdateEvent("gw-000", 1, UpdateState.DOWNLOADING, "2.0.0", null, null, clock.instant(), before).encode());
        messages.onEvent("gw-000", new UpdateEvent("gw-000", 2, UpdateState.INSTALLING, "2.0.0", null, null, clock.instant(), before).encode());
        messages.onEvent("gw-000", new UpdateEvent("gw-000", 1, UpdateState.FAILED, "2.0.0", "download.http-failed", null,
                clock.instant(), after).encode());
        assertEquals(DeviceRolloutState.FAILED, engine.status(r.id()).devices().get(0).state(),
                "seq 1 of the new epoch is a new event, and the newest of its count");
        assertEquals(3, db.transaction(c -> new EventStore().forDevice(c, "gw-000", 10)).size(), "all three are in the history");
        messages.onEvent("gw-000", new UpdateEvent("gw-000", 1, UpdateState.FAILED, "2.0.0", "download.http-failed", null,
                clock.instant(), after).encode());
        assertEquals(3, db.transaction(c -> new EventStore().forDevice(c, "gw-000", 10)).size(), "a repeat of (epoch, seq) is stored once");
    }

    @Test
    void aTimedOutDeviceStaysTimedOutWhenItsMessageIsAboutAnotherVersion() throws Exception {
        devices(1, "1.0.0");
        Rollout r = engine.create(RolloutRequest.of("2.0.0").withTimeout(Duration.ofMinutes(10)));
        engine.tick();
        clock.advance(Duration.ofMinutes(10));
        engine.tick();
        assertEquals(RolloutState.PAUSED, engine.status(r.id()).rollout().state());
        messages.onEvent("gw-000", new UpdateEvent("gw-000", ++seq, UpdateState.DOWNLOADING, "3.0.0", null, null, clock.instant()).encode());
        assertEquals(DeviceRolloutState.TIMED_OUT, engine.status(r.id()).devices().get(0).state());
    }

    @Test
    void devicesAlreadyOnTheTargetCountAsSucceededAtOnce() throws Exception {
        devices(3, "2.0.0");
        Rollout r = engine.create(RolloutRequest.of("2.0.0"));
        assertEquals(3, engine.status(r.id()).totals().succeeded());
        engine.tick();
        assertEquals(RolloutState.FINISHED, engine.status(r.id()).rollout().state());
        assertNull(desired("gw-000"));
    }

    @Test
    void devicesNeedingTheUpdateGoFirst() throws Exception {
        devices(4, "2.0.0");
        messages.onState("gw-009", TestFleet.report("gw-009", "1.0.0", UpdateState.IDLE, null).encode());
        Rollout r = engine.create(RolloutRequest.of("2.0.0"));
        engine.tick();
        assertEquals(List.of("gw-009"), offered(engine.status(r.id())));
    }

    @Test
    void abortTakesTheDesiredUpdateBack() throws Exception {
        devices(10, "1.0.0");
        Rollout r = engine.create(RolloutRequest.of("2.0.0").withPhases(PhasePlan.parse("50%,100%")));
        engine.tick();
        List<String> phase1 = offered(engine.status(r.id()));
        succeed(phase1.get(0));
        engine.abort(r.id());
        assertEquals(RolloutState.ABORTED, engine.status(r.id()).rollout().state());
        assertTrue(desired(phase1.get(1)).isNone());
        assertEquals("2.0.0", desired(phase1.get(0)).version());
        engine.tick();
        assertEquals(RolloutState.ABORTED, engine.status(r.id()).rollout().state());
        assertThrows(FleetkitException.class, () -> engine.resume(r.id()));
    }

    @Test
    void pauseStopsPhaseAdvanceUntilResumed() throws Exception {
        devices(4, "1.0.0");
        Rollout r = engine.create(RolloutRequest.of("2.0.0"));
        engine.tick();
        engine.pause(r.id());
        succeed("gw-000");
        engine.tick();
        assertEquals(0, engine.status(r.id()).rollout().currentPhase());
        engine.resume(r.id());
        engine.tick();
        assertEquals(1, engine.status(r.id()).rollout().currentPhase());
    }

    @Test
    void withoutAnIdPauseResumeAndAbortActOnTheOneActiveRolloutEvenWhenANewerOneHasEnded() throws Exception {
        devices(4, "1.0.0");
        db.transaction(c -> {
            new DeviceStore().setTags(c, "gw-000", List.of("lab"));
            new DeviceStore().setTags(c, "gw-001", List.of("rest"));
            return null;
        });
        Rollout lab = engine.create(RolloutRequest.of("2.0.0").withSelector(DeviceSelector.parse("tag=lab")));
        engine.tick();
        Rollout rest = engine.create(RolloutRequest.of("2.0.0").withSelector(DeviceSelector.parse("tag=rest")).withPhases(PhasePlan.parse("100%")));
        engine.tick();
        engine.abort(rest.id());

        assertEquals(lab.id(), engine.pause(null).id());
        assertEquals(RolloutState.PAUSED, engine.status(lab.id()).rollout().state());
        assertEquals(RolloutState.RUNNING, engine.resume(null).state());
        Rollout aborted = engine.abort(null);
        assertEquals(lab.id(), aborted.id());
        assertEquals(RolloutState.ABORTED, engine.status(lab.id()).rollout().state());
        assertTrue(desired("gw-000").isNone());
    }

    @Test
    void withoutAnIdStateChangesRefuseWhenNoneOrSeveralRolloutsAreActive() throws Exception {
        devices(2, "1.0.0");
        assertEquals("rollout.none-active", assertThrows(FleetkitException.class, () -> engine.abort(null)).code());
        db.transaction(c -> {
            new DeviceStore().setTags(c, "gw-000", List.of("a"));
            new DeviceStore().setTags(c, "gw-001", List.of("b"));
            return null;
        });
        Rollout a = engine.create(RolloutRequest.of("2.0.0").withSelector(DeviceSelector.parse("tag=a")));
        Rollout b = engine.create(RolloutRequest.of("2.0.0").withSelector(DeviceSelector.parse("tag=b")));
        FleetkitException several = assertThrows(FleetkitException.class, () -> engine.pause(null));
        assertEquals("rollout.ambiguous", several.code());
        assertTrue(several.getMessage().contains(a.id()) && several.getMessage().contains(b.id()), several.getMessage());
        assertEquals(RolloutState.CREATED, engine.status(a.id()).rollout().state());

        engine.abort(a.id());
        engine.abort(b.id());
        FleetkitException none = assertThrows(FleetkitException.class, () -> engine.resume(null));
        assertEquals("rollout.none-active", none.code());
        assertTrue(none.getMessage().contains(b.id() + ", is ABORTED"), none.getMessage());
    }

    @Test
    void stateChangesThatAreAlreadyDoneSucceedAndEndedRolloutsRefuseThem() throws Exception {
        devices(2, "1.0.0");
        Rollout r = engine.create(RolloutRequest.of("2.0.0").withPhases(PhasePlan.parse("100%")));
        engine.tick();
        assertEquals(RolloutState.PAUSED, engine.pause(r.id()).state());
        assertEquals(RolloutState.PAUSED, engine.pause(r.id()).state());
        assertEquals(RolloutState.RUNNING, engine.resume(r.id()).state());
        assertEquals(RolloutState.RUNNING, engine.resume(r.id()).state());
        succeed("gw-000");
        succeed("gw-001");
        engine.tick();
        assertEquals(RolloutState.FINISHED, engine.status(r.id()).rollout().state());
        FleetkitException ended = assertThrows(FleetkitException.class, () -> engine.abort(r.id()));
        assertEquals("rollout.bad-state", ended.code());
        assertTrue(ended.getMessage().contains("FINISHED"), ended.getMessage());
    }

    /**
     * Replays the flaky power-cut failure: the operator aborts right after a device failed, while the server's tick
     * is pausing the rollout for that failure. The abort waits for the tick and aborts the paused rollout; before, it
     * read RUNNING, lost its compare-and-set to the pause and failed with "cannot abort ... it is RUNNING".
     */
    @Test
    void anAbortRacingTheEnginesPauseStillAborts() throws Exception {
        devices(1, "1.0.0");
        Rollout r = engine.create(RolloutRequest.of("2.0.0").withPhases(PhasePlan.parse("100%")));
        engine.tick();
        rollBack("gw-000");
        try (java.sql.Connection server = java.sql.DriverManager.getConnection(url)) {
            java.util.concurrent.CompletableFuture<Rollout> abort = new java.util.concurrent.CompletableFuture<>();
            Thread operator = new Thread(() -> {
                try {
                    abort.complete(engine.abort(null));
                } catch (Throwable t) {
                    abort.completeExceptionally(t);
                }
            });
            // The server's tick, half-way: the rollout row is already moved to PAUSED but not committed.
            server.setAutoCommit(false);
            try (var st = server.prepareStatement("UPDATE rollouts SET state = 'PAUSED', reason = 'phase 1 failed' WHERE id = ?")) {
                st.setString(1, r.id());
                assertEquals(1, st.executeUpdate());
            }
            operator.start();
            Await.until("the operator's abort to wait for the server's transaction", Duration.ofSeconds(30),
                    () -> waitsForALock(operator, server));
            server.commit();
            assertEquals(RolloutState.ABORTED, abort.get(30, java.util.concurrent.TimeUnit.SECONDS).state());
        }
        assertEquals(RolloutState.ABORTED, engine.status(r.id()).rollout().state());
        engine.create(RolloutRequest.of("2.0.0").withPhases(PhasePlan.parse("100%")));
    }

    /** True once {@code t} waits for a row lock held by {@code holder}'s transaction (H2 parks the waiting thread). */
    boolean waitsForALock(Thread t, java.sql.Connection holder) throws Exception {
        Thread.State st = t.getState();
        return st == Thread.State.WAITING || st == Thread.State.TIMED_WAITING;
    }

    @Test
    void selectsByBoardVersionAndTagAndRefusesOverlappingRollouts() throws Exception {
        devices(6, "1.0.0");
        messages.onState("gw-100", TestFleet.report("gw-100", "1.5.0", UpdateState.IDLE, null).encode());
        db.transaction(c -> {
            new DeviceStore().setTags(c, "gw-001", List.of("lab"));
            new DeviceStore().setTags(c, "gw-100", List.of("lab"));
            return null;
        });
        Rollout r = engine.create(RolloutRequest.of("2.0.0").withSelector(DeviceSelector.parse("version=1.0.0,tag=lab")));
        assertEquals(List.of("gw-001"), engine.status(r.id()).devices().stream().map(RolloutDevice::deviceId).toList());
        FleetkitException busy = assertThrows(FleetkitException.class, () -> engine.create(RolloutRequest.of("2.0.0")));
        assertEquals("rollout.busy", busy.code());
        assertEquals("rollout.unknown-version", assertThrows(FleetkitException.class,
                () -> engine.create(RolloutRequest.of("9.9.9"))).code());
        assertEquals("rollout.no-devices", assertThrows(FleetkitException.class,
                () -> engine.create(RolloutRequest.of("2.0.0").withSelector(DeviceSelector.parse("board=rpi4")))).code());
    }

    @Test
    void aRestartedEngineOnTheSameDatabaseCarriesOn() throws Exception {
        String url = restartableUrl();
        db.close();
        open(url);
        new BundleStore(db, tmp.resolve("data2"), keys.signingKey().publicKey(), clock, EventSink.NONE)
                .publish(TestFleet.bundle(tmp, keys, "2.0.0", 2_000_000, TestFleet.BOARD, 20_000, 4096), Optional.empty());
        devices(10, "1.0.0");
        Rollout r = engine.create(RolloutRequest.of("2.0.0"));
        engine.tick();
        succeed("gw-000");
        db.close();

        open(url); // a new server process: nothing carried over but the database
        engine.tick();
        RolloutStatus s = engine.status(r.id());
        assertEquals(1, s.rollout().currentPhase());
        assertEquals(List.of("gw-001", "gw-002", "gw-003", "gw-004"), offered(s)); // 10% of 10 adds nobody: next is 50%
        assertEquals("2.0.0", desired("gw-001").version());
    }

    @Test
    void phasePlansSplitTheFleet() {
        assertEquals(List.of(1, 1, 8, 10), PhasePlan.DEFAULT.sizes(20));
        assertEquals(List.of(1, 99, 400, 500), PhasePlan.DEFAULT.sizes(1000));
        assertEquals(List.of(1, 1, 1), PhasePlan.DEFAULT.sizes(3));
        assertEquals(List.of(1), PhasePlan.DEFAULT.sizes(1));
        assertEquals(List.of(2, 3), PhasePlan.parse("2,50%").sizes(5));
        assertThrows(FleetkitException.class, () -> PhasePlan.parse("0,50%"));
        assertThrows(FleetkitException.class, () -> PhasePlan.parse("1,150%"));
    }
}
