package io.fleetkit.ota.server.rollout;

import java.time.Duration;
import java.time.Instant;

/** A rollout row: target version, how devices were chosen and phased, where it stands. {@code currentPhase} counts from 0. */
public record Rollout(String id, String target, String selector, String phases, double maxFailures, Duration timeout,
                      RolloutState state, int currentPhase, int phaseCount, int acceptedFailures, String reason,
                      Instant createdAt, Instant updatedAt) {
}
