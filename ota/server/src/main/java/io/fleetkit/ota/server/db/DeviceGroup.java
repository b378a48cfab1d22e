package io.fleetkit.ota.server.db;

import io.fleetkit.ota.protocol.UpdateState;

/**
 * {@code devices} devices of {@code board} that run {@code version}, stand in update state {@code state} and are
 * {@code online} or not: one row of {@link DeviceStore#groups}. Board and version are null for a device that has not
 * reported yet.
 */
public record DeviceGroup(String board, String version, UpdateState state, boolean online, long devices) {
}
