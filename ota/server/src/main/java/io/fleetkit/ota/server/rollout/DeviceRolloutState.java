package io.fleetkit.ota.server.rollout;

/** One device in one rollout: PENDING (its phase not reached), OFFERED (desired sent), then SUCCEEDED, FAILED or TIMED_OUT. */
public enum DeviceRolloutState {
    PENDING, OFFERED, SUCCEEDED, FAILED, TIMED_OUT;

    public boolean isFailure() {
        return this == FAILED || this == TIMED_OUT;
    }

    public boolean isDone() {
        return this == SUCCEEDED || isFailure();
    }
}
