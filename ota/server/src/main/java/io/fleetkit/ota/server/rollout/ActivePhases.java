package io.fleetkit.ota.server.rollout;

import io.fleetkit.ota.server.db.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Each active rollout (created, running or paused) with the counts of its current phase, read in two queries whatever
 * the number of devices: the rollouts, then their current phases' devices grouped by state. For metrics, which ask on
 * every scrape.
 */
public final class ActivePhases {

    /** An active rollout and how the devices of its current phase stand. */
    public record Phase(Rollout rollout, PhaseCounts counts) {
    }

    private ActivePhases() {
    }

    public static List<Phase> read(Connection c) throws SQLException {
        List<Rollout> active = new RolloutStore().active(c);
        if (active.isEmpty()) {
            return List.of();
        }
        Map<String, Map<DeviceRolloutState, Integer>> counts = new HashMap<>();
        for (Object[] row : Sql.list(c, "SELECT d.rollout_id, d.state, COUNT(*) FROM rollout_devices d"
                        + " JOIN rollouts r ON r.id = d.rollout_id AND d.phase = r.current_phase"
                        + " WHERE r.state IN ('CREATED', 'RUNNING', 'PAUSED') GROUP BY d.rollout_id, d.state",
                rs -> new Object[] {rs.getString(1), DeviceRolloutState.valueOf(rs.getString(2)), rs.getInt(3)})) {
            counts.computeIfAbsent((String) row[0], k -> new HashMap<>()).put((DeviceRolloutState) row[1], (Integer) row[2]);
        }
        List<Phase> phases = new ArrayList<>();
        for (Rollout r : active) {
            Map<DeviceRolloutState, Integer> n = counts.getOrDefault(r.id(), Map.of());
            int pending = n.getOrDefault(DeviceRolloutState.PENDING, 0);
            int offered = n.getOrDefault(DeviceRolloutState.OFFERED, 0);
            int ok = n.getOrDefault(DeviceRolloutState.SUCCEEDED, 0);
            int failed = n.getOrDefault(DeviceRolloutState.FAILED, 0);
            int timedOut = n.getOrDefault(DeviceRolloutState.TIMED_OUT, 0);
            phases.add(new Phase(r, new PhaseCounts(r.currentPhase(), pending + offered + ok + failed + timedOut, pending, offered, ok, failed,
                    timedOut)));
        }
        return phases;
    }
}
