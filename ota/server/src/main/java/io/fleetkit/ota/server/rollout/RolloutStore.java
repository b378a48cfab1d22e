package io.fleetkit.ota.server.rollout;

import io.fleetkit.ota.server.db.Counters;
import io.fleetkit.ota.server.db.Sql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code rollouts} and {@code rollout_devices} tables. */
final class RolloutStore {

    private static final String ROLLOUT = "id, target, selector, phases, max_failures, timeout_ms, state, current_phase, phase_count,"
            + " accepted_failures, reason, created_at, updated_at";
    private static final String DEVICE = "rollout_id, device_id, phase, bundle_sha256, state, reason, offered_at, updated_at";

    private final Counters counters = new Counters();

    /** The next rollout id, {@code r-<n>}; unique among servers sharing the database. */
    String nextId(Connection c) throws SQLException {
        return "r-" + counters.next(c, Counters.ROLLOUTS);
    }

    void insert(Connection c, Rollout r) throws SQLException {
        Sql.update(c, "INSERT INTO rollouts (" + ROLLOUT + ", seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                r.id(), r.target(), r.selector(), r.phases(), r.maxFailures(), r.timeout().toMillis(), r.state(), r.currentPhase(),
                r.phaseCount(), r.acceptedFailures(), r.reason(), r.createdAt().toEpochMilli(), r.updatedAt().toEpochMilli(),
                Long.parseLong(r.id().substring(2)));
    }

    void insertDevice(Connection c, RolloutDevice d) throws SQLException {
        Sql.update(c, "INSERT INTO rollout_devices (" + DEVICE + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)", d.rolloutId(), d.deviceId(),
                d.phase(), d.bundleSha256(), d.state(), d.reason(), millis(d.offeredAt()), d.updatedAt().toEpochMilli());
    }

    Optional<Rollout> find(Connection c, String id) throws SQLException {
        return Sql.one(c, "SELECT " + ROLLOUT + " FROM rollouts WHERE id = ?", RolloutStore::rollout, id);
    }

    /** The rollout, its row locked until the transaction ends: a tick and an operator's command take turns. */
    Optional<Rollout> lock(Connection c, String id) throws SQLException {
        return Sql.one(c, "SELECT " + ROLLOUT + " FROM rollouts WHERE id = ? FOR UPDATE", RolloutStore::rollout, id);
    }

    List<Rollout> list(Connection c) throws SQLException {
        return Sql.list(c, "SELECT " + ROLLOUT + " FROM rollouts ORDER BY seq", RolloutStore::rollout);
    }

    /** The rollouts not yet ended (created, running, paused), oldest first. */
    List<Rollout> active(Connection c) throws SQLException {
        return Sql.list(c, "SELECT " + ROLLOUT + " FROM rollouts WHERE state IN ('CREATED', 'RUNNING', 'PAUSED') ORDER BY seq", RolloutStore::rollout);
    }

    List<Rollout> inStates(Connection c, RolloutState... states) throws SQLException {
        List<Rollout> out = new ArrayList<>();
        for (Rollout r : list(c)) {
            if (List.of(states).contains(r.state())) {
                out.add(r);
            }
        }
        return out;
    }

    /** Moves the rollout from {@code from} only, so two writers (server tick, CLI) cannot both win. */
    boolean setState(Connection c, String id, RolloutState from, RolloutState to, String reason, Instant now) throws SQLException {
        return Sql.update(c, "UPDATE rollouts SET state = ?, reason = ?, updated_at = ? WHERE id = ? AND state = ?",
                to, reason, now.toEpochMilli(), id, from) == 1;
    }

    void setPhase(Connection c, String id, int phase, Instant now) throws SQLException {
        Sql.update(c, "UPDATE rollouts SET current_phase = ?, accepted_failures = 0, updated_at = ? WHERE id = ?", phase, now.toEpochMilli(), id);
    }

    void acceptFailures(Connection c, String id, int failures) throws SQLException {
        Sql.update(c, "UPDATE rollouts SET accepted_failures = ? WHERE id = ?", failures, id);
    }

    List<RolloutDevice> devices(Connection c, String rolloutId) throws SQLException {
        return Sql.list(c, "SELECT " + DEVICE + " FROM rollout_devices WHERE rollout_id = ? ORDER BY phase, device_id",
                RolloutStore::device, rolloutId);
    }

    List<RolloutDevice> devicesInPhase(Connection c, String rolloutId, int phase) throws SQLException {
        return Sql.list(c, "SELECT " + DEVICE + " FROM rollout_devices WHERE rollout_id = ? AND phase = ? ORDER BY device_id",
                RolloutStore::device, rolloutId, phase);
    }

    /** The device's places in rollouts that are still CREATED, RUNNING or PAUSED. */
    List<RolloutDevice> activeFor(Connection c, String deviceId) throws SQLException {
        return Sql.list(c, "SELECT d.rollout_id, d.device_id, d.phase, d.bundle_sha256, d.state, d.reason, d.offered_at, d.updated_at"
                        + " FROM rollout_devices d JOIN rollouts r ON r.id = d.rollout_id"
                        + " WHERE d.device_id = ? AND r.state IN ('CREATED', 'RUNNING', 'PAUSED')",
                RolloutStore::device, deviceId);
    }

    void setDeviceState(Connection c, RolloutDevice d, DeviceRolloutState to, String reason, Instant now) throws SQLException {
        Sql.update(c, "UPDATE rollout_devices SET state = ?, reason = ?, updated_at = ? WHERE rollout_id = ? AND device_id = ?",
                to, reason, now.toEpochMilli(), d.rolloutId(), d.deviceId());
    }

    void offer(Connection c, RolloutDevice d, Instant now) throws SQLException {
        Sql.update(c, "UPDATE rollout_devices SET state = 'OFFERED', offered_at = ?, updated_at = ? WHERE rollout_id = ? AND device_id = ?",
                now.toEpochMilli(), now.toEpochMilli(), d.rolloutId(), d.deviceId());
    }

    /** The device was heard from while offered: its timeout starts again. */
    void touch(Connection c, RolloutDevice d, Instant now) throws SQLException {
        Sql.update(c, "UPDATE rollout_devices SET updated_at = ? WHERE rollout_id = ? AND device_id = ?",
                now.toEpochMilli(), d.rolloutId(), d.deviceId());
    }

    private static Long millis(Instant t) {
        return t == null ? null : t.toEpochMilli();
    }

    private static Rollout rollout(ResultSet rs) throws SQLException {
        return new Rollout(rs.getString("id"), rs.getString("target"), rs.getString("selector"), rs.getString("phases"),
                rs.getDouble("max_failures"), Duration.ofMillis(rs.getLong("timeout_ms")), RolloutState.valueOf(rs.getString("state")),
                rs.getInt("current_phase"), rs.getInt("phase_count"), rs.getInt("accepted_failures"), rs.getString("reason"),
                Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("updated_at")));
    }

    private static RolloutDevice device(ResultSet rs) throws SQLException {
        Long offered = Sql.longOrNull(rs, "offered_at");
        return new RolloutDevice(rs.getString("rollout_id"), rs.getString("device_id"), rs.getInt("phase"), rs.getString("bundle_sha256"),
                DeviceRolloutState.valueOf(rs.getString("state")), rs.getString("reason"), offered == null ? null : Instant.ofEpochMilli(offered),
                Instant.ofEpochMilli(rs.getLong("updated_at")));
    }
}
