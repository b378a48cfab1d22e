package io.fleetkit.ota.server.rollout;

import java.util.List;

/** A rollout with its per-phase counts and its devices, for `fleet rollout status`. */
public record RolloutStatus(Rollout rollout, List<PhaseCounts> phases, List<RolloutDevice> devices) {

    public PhaseCounts totals() {
        int total = 0, pending = 0, offered = 0, ok = 0, failed = 0, timedOut = 0;
        for (PhaseCounts p : phases) {
            total += p.total();
            pending += p.pending();
            offered += p.offered();
            ok += p.succeeded();
            failed += p.failed();
            timedOut += p.timedOut();
        }
        return new PhaseCounts(-1, total, pending, offered, ok, failed, timedOut);
    }
}
