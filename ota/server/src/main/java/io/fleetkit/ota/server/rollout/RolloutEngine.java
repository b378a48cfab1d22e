package io.fleetkit.ota.server.rollout;

import io.fleetkit.events.EventSink;
import io.fleetkit.events.FleetkitException;
import io.fleetkit.ota.protocol.DesiredUpdate;
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
    private volatile Instant silenceCountsFrom = Instant.MIN;

    public RolloutEngine(Database db, Clock clock, EventSink sink) {
        this.db = db;
        this.clock = clock;
        this.sink = sink;
    }

    /**
     * The server that drives this engine hears devices from now on (it started, or its broker connection is back): what
     * devices sent while it could not hear them was never heard, so silence counts from now, not from a device's last
     * message. Each offered device thus gets one timeout of grace after a restart, and a rollout whose server was down for
     * longer than its timeout does not time out every device.
     */
    public void silenceCountsFromNow() {
        silenceCountsFrom = clock.instant();
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
        // Locked for the step, so an operator's pause or abort waits for it and never lands half-way through a phase change.
        Rollout r = rollouts.lock(c, id).orElseThrow();
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
            PhaseCounts counts = count(phase, timeOutSilent(c, r, phase, now));
            PhaseGate.Decision decision = PhaseGate.decide(r, counts, accepted);
            if (decision instanceof PhaseGate.Pause pause) {
                rollouts.setState(c, id, RolloutState.RUNNING, RolloutState.PAUSED, pause.reason(), now);
                sink.warn("rollout", id + " paused: " + pause.reason());
                return;
            }
            if (decision instanceof PhaseGate.Wait) {
                return;
            }
            if (decision instanceof PhaseGate.Finish) {
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

    /**
     * The phase's devices, those offered and silent for longer than the rollout's timeout marked TIMED_OUT (in the list
     * too). Silence counts from the device's last message or from the server's start, whichever is later.
     */
    private List<RolloutDevice> timeOutSilent(Connection c, Rollout r, int phase, Instant now) throws SQLException {
        List<RolloutDevice> inPhase = new ArrayList<>(rollouts.devicesInPhase(c, r.id(), phase));
        for (int i = 0; i < inPhase.size(); i++) {
            RolloutDevice d = inPhase.get(i);
            Instant heardFrom = d.updatedAt().isAfter(silenceCountsFrom) ? d.updatedAt() : silenceCountsFrom;
            if (d.state() == DeviceRolloutState.OFFERED && !heardFrom.plus(r.timeout()).isAfter(now)) {
                String why = "no report within " + r.timeout();
                rollouts.setDeviceState(c, d, DeviceRolloutState.TIMED_OUT, why, now);
                inPhase.set(i, new RolloutDevice(d.rolloutId(), d.deviceId(), d.phase(), d.bundleSha256(), DeviceRolloutState.TIMED_OUT,
                        why, d.offeredAt(), now));
            }
        }
        return inPhase;
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

    /**
     * What a device's report or update event means for the rollouts it is in: success when it runs
     * the target, failure when its update of the target ended badly, otherwise a sign of life.
     */
    public void observe(Connection c, DeviceObservation o, Instant now) throws SQLException {
        Map<String, PublishedBundle> bundles = new HashMap<>();
        for (RolloutDevice d : rollouts.activeFor(c, o.deviceId())) {
            DeviceOutcome.Change change = DeviceOutcome.of(d, bundle(c, bundles, d.bundleSha256()).version(), o);
            if (change instanceof DeviceOutcome.Succeed) {
                rollouts.setDeviceState(c, d, DeviceRolloutState.SUCCEEDED, null, now);
            } else if (change instanceof DeviceOutcome.Fail fail) {
                rollouts.setDeviceState(c, d, DeviceRolloutState.FAILED, fail.reason(), now);
            } else if (change instanceof DeviceOutcome.Touch) {
                rollouts.touch(c, d, now);
            } else if (change instanceof DeviceOutcome.Revive) {
                rollouts.setDeviceState(c, d, DeviceRolloutState.OFFERED, null, now);
                sink.info("rollout", d.rolloutId() + ": " + d.deviceId() + " timed out but is working on " + d.rolloutId()
                        + " after all (" + o.state() + "); offered again");
            }
        }
    }

    /**
     * Pauses {@code id}, or with null the one active rollout, and returns it. A rollout already paused (by the engine
     * a moment ago, say) stays as it is: the command asked for a paused rollout and has one.
     */
    public Rollout pause(String id) throws SQLException {
        return change(id, RolloutChoice.PAUSE, (c, r) -> move(c, r, RolloutChoice.PAUSE, "paused by the operator"));
    }

    /**
     * Resumes {@code id}, or with null the one active rollout, and returns it; the failures seen so far in its phase
     * are accepted, a new one pauses it again. A rollout already running stays as it is.
     */
    public Rollout resume(String id) throws SQLException {
        return change(id, RolloutChoice.RESUME, (c, r) -> {
            PhaseCounts counts = count(r.currentPhase(), rollouts.devicesInPhase(c, r.id(), r.currentPhase()));
            rollouts.acceptFailures(c, r.id(), counts.failures());
            move(c, r, RolloutChoice.RESUME, null);
        });
    }

    /**
     * Stops {@code id}, or with null the one active rollout, takes the desired update back from devices that have not
     * reached it, and returns it: once this returns, a new rollout of the same devices can start.
     */
    public Rollout abort(String id) throws SQLException {
        return change(id, RolloutChoice.ABORT, (c, r) -> {
            move(c, r, RolloutChoice.ABORT, "aborted");
            for (RolloutDevice d : rollouts.devices(c, r.id())) {
                if (d.state() == DeviceRolloutState.OFFERED) {
                    devices.setDesired(c, d.deviceId(), DesiredUpdate.none());
                }
            }
        });
    }

    /** Moves the locked rollout {@code r} where the verb leads. */
    private void move(Connection c, Rollout r, RolloutChoice.Verb verb, String reason) throws SQLException {
        if (!rollouts.setState(c, r.id(), r.state(), verb.to(), reason, clock.instant())) {
            throw RolloutChoice.notIn(rollouts.find(c, r.id()).orElseThrow(), verb);
        }
    }

    private interface StateChange {
        void apply(Connection c, Rollout locked) throws SQLException;
    }

    /**
     * Picks the rollout, locks its row (a tick in progress finishes first, and the state read is the latest), and
     * applies {@code change} when the verb can move it; a rollout with nothing left to do is left alone.
     */
    private Rollout change(String id, RolloutChoice.Verb verb, StateChange change) throws SQLException {
        return db.transaction(c -> {
            Rollout r = rollouts.lock(c, RolloutChoice.forChange(c, rollouts, id, verb).id()).orElseThrow();
            if (verb.from().contains(r.state())) {
                change.apply(c, r);
            } else if (!verb.alreadyDone().contains(r.state())) {
                throw RolloutChoice.notIn(r, verb);
            }
            return rollouts.find(c, r.id()).orElseThrow();
        });
    }

    public List<Rollout> list() throws SQLException {
        return db.transaction(rollouts::list);
    }

    /** The rollout named {@code id}, or when null the newest one. */
    public RolloutStatus status(String id) throws SQLException {
        return db.transaction(c -> {
            Rollout r = RolloutChoice.named(c, rollouts, id);
            List<RolloutDevice> all = rollouts.devices(c, r.id());
            List<PhaseCounts> phases = new ArrayList<>();
            for (int p = 0; p < r.phaseCount(); p++) {
                int phase = p;
                phases.add(count(p, all.stream().filter(d -> d.phase() == phase).toList()));
            }
            return new RolloutStatus(r, phases, all);
        });
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
