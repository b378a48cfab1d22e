package io.fleetkit.ota.server.rollout;

/**
 * When a phase is done and what happens then (hawkBit's group success and error conditions): the
 * error condition — more failures than the rollout accepts and a failure share above its limit —
 * pauses it; the success condition — no device of the phase still open — starts the next phase,
 * or finishes the rollout after the last one. Pure: counts in, decision out.
 */
final class PhaseGate {

    sealed interface Decision {
    }

    /** Devices of the phase are still pending or offered. */
    record Wait() implements Decision {
    }

    record Pause(String reason) implements Decision {
    }

    record NextPhase() implements Decision {
    }

    record Finish() implements Decision {
    }

    private PhaseGate() {
    }

    /** {@code accepted}: failures of this phase an operator already accepted by resuming. */
    static Decision decide(Rollout r, PhaseCounts counts, int accepted) {
        if (counts.failures() > accepted && counts.failureShare() > r.maxFailures()) {
            return new Pause(String.format("phase %d: %d of %d devices failed (%.0f%%), more than the %.0f%% allowed",
                    counts.phase() + 1, counts.failures(), counts.total(), counts.failureShare() * 100, r.maxFailures() * 100));
        }
        if (counts.open() > 0) {
            return new Wait();
        }
        return counts.phase() + 1 >= r.phaseCount() ? new Finish() : new NextPhase();
    }
}
