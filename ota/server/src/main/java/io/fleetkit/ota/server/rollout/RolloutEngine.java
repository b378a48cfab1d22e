package io.fleetkit.ota.server.rollout;

import io.fleetkit.events.EventSink;
import io.fleetkit.events.FleetkitException;
import io.fleetkit.ota.protocol.DesiredUpdate;
import io.fleetkit.ota.protocol.DeviceReport;
import io.fleetkit.ota.protocol.UpdateEvent;
import io.fleetkit.ota.protocol.UpdateState;
import io.fleetkit.ota.server.bundles.BundleStore;
import io.fleetkit.ota.server.bundles.PublishedBundle;
import io.fleetkit.ota.server.db.Database;
import io.fleetkit.ota.server.db.DeviceRecord;
import io.fleetkit.ota.server.db.DeviceStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Moves a fleet to a version in phases. Everything it knows is in the database, read afresh on
 * each call, so any process (the server's tick, a CLI command) can drive it and a restarted
 * server carries on. Time comes from the clock; {@link #tick()} is the only place time passes
 * (timeouts, phase advance), so tests drive it without sleeping.
 */
public final class RolloutEngine {

    private final Database db;
    private final Clock clock;
    private final EventSink sink;
    private final RolloutStore rollouts = new RolloutStore();
    private final DeviceStore devices = new DeviceStore();

    public RolloutEngine(Database db, Clock clock, EventSink sink) {
        this.db = db;
        this.clock = clock;
        this.sink = sink;
    }

    /** Creates a rollout (CREATED; the next tick starts it). Devices already on the target count as succeeded at once. */
    public Rollout create(RolloutRequest request) throws SQLException {
        Instant now = clock.instant();
        return db.transaction(c -> {
            List<PublishedBundle> bundles = BundleStore.byName(c, request.target());
            if (bundles.isEmpty()) {
                throw new FleetkitException("rollout.unknown-version", "no bundle is published as " + request.target(),
                        "Publish one first: fleet publish <file>.bundle");
            }
            Map<String, PublishedBundle> byBoard = new HashMap<>();
            bundles.forEach(b -> byBoard.put(b.board(), b));
            List<DeviceRecord> chosen = new ArrayList<>();
            for (DeviceRecord d : devices.list(c)) {
                if (request.selector().matches(d)) {
                    chosen.add(d);
                }
            }
            if (chosen.isEmpty()) {
                throw new FleetkitException("rollout.no-devices", "no device matches '" + request.selector() + "'",
                        "Check `fleet devices`; devices appear once they have connected.");
            }
            TreeSet<String> missing = new TreeSet<>();
            for (DeviceRecord d : chosen) {
                if (!byBoard.containsKey(d.board())) {
                    missing.add(String.valueOf(d.board()));
                }
                for (RolloutDevice busy : rollouts.activeFor(c, d.id())) {
                    throw new FleetkitException("rollout.busy", "device " + d.id() + " is in rollout " + busy.rolloutId() + ", which is still active",
                            "Wait for it to finish, or abort it: fleet rollout abort " + busy.rolloutId());
                }
            }
            if (!missing.isEmpty()) {
                throw new FleetkitException("rollout.no-bundle-for-board", request.target() + " is published for " + byBoard.keySet()
                        + " but the selected devices include boards " + missing,
                        "Publish a bundle of " + request.target() + " for each board, or narrow --select board=...");
            }
            chosen.sort(Comparator.comparing((DeviceRecord d) -> onVersion(d, byBoard.get(d.board())))
                    .thenComparing(d -> !d.online()).thenComparing(DeviceRecord::id));
            List<Integer> sizes = request.phases().sizes(chosen.size());
            String id = rollouts.nextId(c);
            rollouts.insert(c, new Rollout(id, request.target(), request.selector().toString(), request.phases().toString(),
                    request.maxFailures(), request.timeout(), RolloutState.CREATED, 0, sizes.size(), 0, null, now, now));
            int i = 0;
            for (int phase = 0; phase < sizes.size(); phase++) {
                for (int k = 0; k < sizes.get(phase); k++, i++) {
                    DeviceRecord d = chosen.get(i);
                    boolean done = onVersion(d, byBoard.get(d.board()));
                    rollouts.insertDevice(c, new RolloutDevice(id, d.id(), phase, byBoard.get(d.board()).sha256(),
                            done ? DeviceRolloutState.SUCCEEDED : DeviceRolloutState.PENDING, done ? "already on " + request.target() : null,
                            null, now));
                }
            }
            sink.info("rollout", id + ": " + request.target() + " to " + chosen.size() + " devices in phases " + sizes);
            return rollouts.find(c, id).orElseThrow();
        });
    }

    /** Starts created rollouts, times out silent devices, pauses on failures, advances phases. */
    public void tick() throws SQLException {
        List<Rollout> live = db.transaction(c -> rollouts.inStates(c, RolloutState.CREATED, RolloutState.RUNNING));
        for (Rollout r : live) {
            db.transaction(c -> {
                step(c, r.id(), clock.instant());
                return null;
            });
        }
    }

    private void step(Connection c, String id, Instant now) throws SQLException {
        Rollout r = rollouts.find(c, id).orElseThrow();
        if (r.state() == RolloutState.CREATED) {
            if (!rollouts.setState(c, id, RolloutState.CREATED, RolloutState.RUNNING, null, now)) {
                return;
            }
            offerPhase(c, r, 0, now);
        } else if (r.state() != RolloutState.RUNNING) {
            return;
        }
        int phase = r.currentPhase();
        int accepted = r.acceptedFailures();
        while (true) {
            // One read of the phase per step: timeouts are applied to the list as well as to the database.
            List<RolloutDevice> inPhase = new ArrayList<>(rollouts.devicesInPhase(c, id, phase));
            for (int i = 0; i < inPhase.size(); i++) {
                RolloutDevice d = inPhase.get(i);
                if (d.state() == DeviceRolloutState.OFFERED && !d.updatedAt().plus(r.timeout()).isAfter(now)) {
                    String why = "no report within " + r.timeout();
                    rollouts.setDeviceState(c, d, DeviceRolloutState.TIMED_OUT, why, now);
                    inPhase.set(i, new RolloutDevice(d.rolloutId(), d.deviceId(), d.phase(), d.bundleSha256(), DeviceRolloutState.TIMED_OUT,
                            why, d.offeredAt(), now));
                }
            }
            PhaseCounts counts = count(phase, inPhase);
            if (counts.failures() > accepted && counts.failureShare() > r.maxFailures()) {
                String why = String.format("phase %d: %d of %d devices failed (%.0f%%), more than the %.0f%% allowed",
                        phase + 1, counts.failures(), counts.total(), counts.failureShare() * 100, r.maxFailures() * 100);
                rollouts.setState(c, id, RolloutState.RUNNING, RolloutState.PAUSED, why, now);
                sink.warn("rollout", id + " paused: " + why);
                return;
            }
            if (counts.open() > 0) {
                return;
            }
            if (phase + 1 >= r.phaseCount()) {
                rollouts.setState(c, id, RolloutState.RUNNING, RolloutState.FINISHED, null, now);
                sink.info("rollout", id + " finished");
                return;
            }
            phase++;
            accepted = 0;
            rollouts.setPhase(c, id, phase, now);
            offerPhase(c, r, phase, now);
            sink.info("rollout", id + ": phase " + (phase + 1) + " of " + r.phaseCount() + " started");
        }
    }

    private void offerPhase(Connection c, Rollout r, int phase, Instant now) throws SQLException {
        Map<String, PublishedBundle> bundles = new HashMap<>();
        for (RolloutDevice d : rollouts.devicesInPhase(c, r.id(), phase)) {
            if (d.state() != DeviceRolloutState.PENDING) {
                continue;
            }
            PublishedBundle b = bundle(c, bundles, d.bundleSha256());
            Optional<DeviceRecord> device = devices.find(c, d.deviceId());
            if (device.isPresent() && onVersion(device.get(), b)) {
                rollouts.setDeviceState(c, d, DeviceRolloutState.SUCCEEDED, "already on " + r.target(), now);
                continue;
            }
            rollouts.offer(c, d, now);
            devices.setDesired(c, d.deviceId(), new DesiredUpdate(b.version(), b.versionNumber(), r.id(), b.ref(), null));
        }
    }

    /** A device's report: success when it runs the target, failure when its update of the target ended badly. */
    public void onReport(Connection c, DeviceReport report, Instant now) throws SQLException {
        Map<String, PublishedBundle> bundles = new HashMap<>();
        for (RolloutDevice d : rollouts.activeFor(c, report.id())) {
            PublishedBundle b = bundle(c, bundles, d.bundleSha256());
            UpdateState s = report.update().state();
            if (b.version().equals(report.version()) && (s == UpdateState.IDLE || s == UpdateState.COMMITTED)) {
                if (d.state() != DeviceRolloutState.SUCCEEDED) {
                    rollouts.setDeviceState(c, d, DeviceRolloutState.SUCCEEDED, null, now);
                }
            } else if (s.isFailure() && b.version().equals(report.update().target())
                    && (d.state() == DeviceRolloutState.OFFERED || d.state() == DeviceRolloutState.TIMED_OUT)) {
                rollouts.setDeviceState(c, d, DeviceRolloutState.FAILED, reason(s, report.update().reason()), now);
            } else if (d.state() == DeviceRolloutState.OFFERED) {
                rollouts.touch(c, d, now);
            }
        }
    }

    /** A device's update event: ROLLED_BACK / FAILED (refusals included) of the target fail it; COMMITTED of the target succeeds. */
    public void onEvent(Connection c, UpdateEvent event, Instant now) throws SQLException {
        Map<String, PublishedBundle> bundles = new HashMap<>();
        for (RolloutDevice d : rollouts.activeFor(c, event.id())) {
            PublishedBundle b = bundle(c, bundles, d.bundleSha256());
            boolean aboutTarget = event.target() == null || b.version().equals(event.target());
            if (!aboutTarget) {
                continue;
            }
            if (event.state().isFailure() && (d.state() == DeviceRolloutState.OFFERED || d.state() == DeviceRolloutState.TIMED_OUT)) {
                rollouts.setDeviceState(c, d, DeviceRolloutState.FAILED, reason(event.state(), event.reason()), now);
            } else if (event.state() == UpdateState.COMMITTED && event.target() != null && d.state() != DeviceRolloutState.SUCCEEDED) {
                rollouts.setDeviceState(c, d, DeviceRolloutState.SUCCEEDED, null, now);
            } else if (d.state() == DeviceRolloutState.OFFERED) {
                rollouts.touch(c, d, now);
            }
        }
    }

    public void pause(String id) throws SQLException {
        transition(id, "pause", RolloutState.PAUSED, RolloutState.CREATED, RolloutState.RUNNING);
    }

    /** Resumes a paused rollout; the failures seen so far in the current phase are accepted, a new one pauses it again. */
    public void resume(String id) throws SQLException {
        db.transaction(c -> {
            Rollout r = require(c, id);
            if (r.state() != RolloutState.PAUSED) {
                throw notIn(r, "resume");
            }
            PhaseCounts counts = count(r.currentPhase(), rollouts.devicesInPhase(c, id, r.currentPhase()));
            rollouts.acceptFailures(c, id, counts.failures());
            rollouts.setState(c, id, RolloutState.PAUSED, RolloutState.RUNNING, null, clock.instant());
            return null;
        });
    }

    /** Stops the rollout and takes the desired update back from devices that have not reached it. */
    public void abort(String id) throws SQLException {
        db.transaction(c -> {
            Rollout r = require(c, id);
            if (!r.state().isActive() || !rollouts.setState(c, id, r.state(), RolloutState.ABORTED, "aborted", clock.instant())) {
                throw notIn(r, "abort");
            }
            for (RolloutDevice d : rollouts.devices(c, id)) {
                if (d.state() == DeviceRolloutState.OFFERED) {
                    devices.setDesired(c, d.deviceId(), DesiredUpdate.none());
                }
            }
            return null;
        });
    }

    public List<Rollout> list() throws SQLException {
        return db.transaction(rollouts::list);
    }

    /** The rollout named {@code id}, or when null the newest one. */
    public RolloutStatus status(String id) throws SQLException {
        return db.transaction(c -> {
            Rollout r = require(c, id);
            List<RolloutDevice> all = rollouts.devices(c, r.id());
            List<PhaseCounts> phases = new ArrayList<>();
            for (int p = 0; p < r.phaseCount(); p++) {
                int phase = p;
                phases.add(count(p, all.stream().filter(d -> d.phase() == phase).toList()));
            }
            return new RolloutStatus(r, phases, all);
        });
    }

    private void transition(String id, String verb, RolloutState to, RolloutState... from) throws SQLException {
        db.transaction(c -> {
            Rollout r = require(c, id);
            if (!List.of(from).contains(r.state()) || !rollouts.setState(c, r.id(), r.state(), to, null, clock.instant())) {
                throw notIn(r, verb);
            }
            return null;
        });
    }

    private Rollout require(Connection c, String id) throws SQLException {
        if (id == null) {
            List<Rollout> all = rollouts.list(c);
            if (all.isEmpty()) {
                throw new FleetkitException("rollout.none", "there are no rollouts yet", "Start one: fleet rollout <version>");
            }
            return all.get(all.size() - 1);
        }
        return rollouts.find(c, id).orElseThrow(() -> new FleetkitException("rollout.unknown", "no rollout " + id,
                "List them with fleet rollout status."));
    }

    private static FleetkitException notIn(Rollout r, String verb) {
        return new FleetkitException("rollout.bad-state", "cannot " + verb + " rollout " + r.id() + ": it is " + r.state(), null);
    }

    private static PublishedBundle bundle(Connection c, Map<String, PublishedBundle> cache, String sha) throws SQLException {
        PublishedBundle b = cache.get(sha);
        if (b == null) {
            b = BundleStore.bySha256(c, sha).orElseThrow(() -> new IllegalStateException("bundle " + sha + " vanished from the store"));
            cache.put(sha, b);
        }
        return b;
    }

    private static boolean onVersion(DeviceRecord d, PublishedBundle b) {
        return b != null && b.version().equals(d.version())
                && (d.updateState() == UpdateState.IDLE || d.updateState() == UpdateState.COMMITTED);
    }

    private static String reason(UpdateState s, String reason) {
        return reason == null ? s.name() : s.name() + ": " + reason;
    }

    static PhaseCounts count(int phase, List<RolloutDevice> ds) {
        int pending = 0, offered = 0, ok = 0, failed = 0, timedOut = 0;
        for (RolloutDevice d : ds) {
            switch (d.state()) {
                case PENDING -> pending++;
                case OFFERED -> offered++;
                case SUCCEEDED -> ok++;
                case FAILED -> failed++;
                case TIMED_OUT -> timedOut++;
                default -> throw new IllegalStateException();
            }
        }
        return new PhaseCounts(phase, ds.size(), pending, offered, ok, failed, timedOut);
    }
}
