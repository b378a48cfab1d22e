package io.fleetkit.ota.server.db;

import io.fleetkit.ota.protocol.UpdateState;
import java.time.Instant;

/** One stored update event of a device; {@code ts} is the device's time (may be null), {@code receivedAt} the server's. */
public record EventRecord(String deviceId, long seq, UpdateState state, String target, String reason, String message,
                          Instant ts, Instant receivedAt) {
}
