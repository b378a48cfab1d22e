package io.fleetkit.ota.server.rollout;

import java.time.Instant;

/** One device's part in a rollout: its phase (from 0), the bundle for its board, its state and why. */
public record RolloutDevice(String rolloutId, String deviceId, int phase, String bundleSha256, DeviceRolloutState state,
                            String reason, Instant offeredAt, Instant updatedAt) {
}
