package io.fleetkit.ota.server.rollout;

import java.time.Duration;

/** What `fleet rollout VERSION` asks for. {@code maxFailures} is a share 0..1 (0.2 = pause when more than 20% of a phase failed). */
public record RolloutRequest(String target, DeviceSelector selector, PhasePlan phases, double maxFailures, Duration timeout) {

    public static final double DEFAULT_MAX_FAILURES = 0.2;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);

    public static RolloutRequest of(String target) {
        return new RolloutRequest(target, DeviceSelector.ALL, PhasePlan.DEFAULT, DEFAULT_MAX_FAILURES, DEFAULT_TIMEOUT);
    }

    public RolloutRequest {
        if (!(maxFailures >= 0 && maxFailures <= 1)) {
            throw new io.fleetkit.events.UsageException("rollout.bad-max-failures", "max failures " + maxFailures + " is not a share 0..1",
                    "Use e.g. --max-failures 20% or 0.2.");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new io.fleetkit.events.UsageException("rollout.bad-timeout", "timeout " + timeout + " is not positive", "Use e.g. --timeout 30m.");
        }
    }

    public RolloutRequest withSelector(DeviceSelector s) {
        return new RolloutRequest(target, s, phases, maxFailures, timeout);
    }

    public RolloutRequest withPhases(PhasePlan p) {
        return new RolloutRequest(target, selector, p, maxFailures, timeout);
    }

    public RolloutRequest withMaxFailures(double m) {
        return new RolloutRequest(target, selector, phases, m, timeout);
    }

    public RolloutRequest withTimeout(Duration t) {
        return new RolloutRequest(target, selector, phases, maxFailures, t);
    }
}
