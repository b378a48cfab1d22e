package io.fleetkit.ota.server.rollout;

/** How the devices of one phase stand. {@code failed} excludes timeouts; {@link #failures()} includes them. */
public record PhaseCounts(int phase, int total, int pending, int offered, int succeeded, int failed, int timedOut) {

    public int failures() {
        return failed + timedOut;
    }

    public int open() {
        return pending + offered;
    }

    public double failureShare() {
        return total == 0 ? 0 : (double) failures() / total;
    }
}
