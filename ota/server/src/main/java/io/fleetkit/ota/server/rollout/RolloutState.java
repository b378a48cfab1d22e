package io.fleetkit.ota.server.rollout;

/** A rollout's life: CREATED until the engine's first tick starts it, then RUNNING, PAUSED, and ABORTED or FINISHED. */
public enum RolloutState {
    CREATED, RUNNING, PAUSED, ABORTED, FINISHED;

    public boolean isActive() {
        return this == CREATED || this == RUNNING || this == PAUSED;
    }
}
