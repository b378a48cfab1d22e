package io.fleetkit.ota.server;

import io.fleetkit.ota.server.bundles.PublishedBundle;
import io.fleetkit.ota.server.db.DeviceRecord;
import io.fleetkit.ota.server.db.NetbootAssignment;
import io.fleetkit.ota.server.rollout.Rollout;
import io.fleetkit.ota.server.rollout.RolloutRequest;
import io.fleetkit.ota.server.rollout.RolloutStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Everything the CLI does to a fleet, in values: the commands go through this and nothing else,
 * so where the fleet lives (its database and data directory, {@link LocalFleetClient}; a fleet
 * server's API, {@code RemoteFleetClient}) is the client's business. A fleet that cannot be reached is an
 * {@link IOException} (or, remotely, a {@link io.fleetkit.events.FleetkitException} naming the URL and the fix);
 * what the fleet refuses (unknown device, bad name) is a {@link io.fleetkit.events.FleetkitException} with the
 * same code and message either way. Every change is recorded in the audit log with the client's
 * {@link io.fleetkit.ota.server.access.Actor}.
 */
public interface FleetClient extends AutoCloseable {

    /** Every device the fleet knows, by id. */
    List<DeviceRecord> devices() throws IOException;

    /** A page of devices matching the query's filters, in id order. */
    io.fleetkit.ota.server.db.DevicePage devices(io.fleetkit.ota.server.db.DeviceQuery query) throws IOException;

    /**
     * Devices per board and version, online or not, and the rollouts not yet ended (the dashboard's overview). This
     * default lists every device; a client with the database at hand counts there instead.
     */
    default FleetSummary summary() throws IOException {
        return FleetSummary.of(devices(), rollouts());
    }

    /** One device and its newest events; an unknown id is {@code fleet.unknown-device}. */
    DeviceView device(String id) throws IOException;

    /** Replaces the device's tags (its groups). */
    void tagDevice(String id, List<String> tags) throws IOException;

    /**
     * Revokes the device's certificates issued until now ({@code serial} null), or the one with {@code serial} (hex): the
     * server refuses them at the next connection and drops a current one; the device's MACs and serial are released.
     * Returns the revocation as stored. An unknown device is fine (a card stolen before its first boot).
     */
    io.fleetkit.ota.server.security.Revocation revoke(String id, String serial, String reason) throws IOException;

    /** Every revocation, oldest first. */
    List<io.fleetkit.ota.server.security.Revocation> revocations() throws IOException;

    /** Verifies {@code bundle} with the fleet's signing key and stores it as {@code name} (default: its version). */
    PublishedBundle publish(Path bundle, Optional<String> name) throws IOException;

    List<PublishedBundle> bundles() throws IOException;

    Rollout createRollout(RolloutRequest request) throws IOException;

    List<Rollout> rollouts() throws IOException;

    /** {@code id} null: the newest rollout. */
    RolloutStatus status(String id) throws IOException;

    /** {@code id} null: the one active rollout (refused when there is none or there are several). Returns it paused. */
    Rollout pause(String id) throws IOException;

    /** {@code id} null: the one active rollout. Returns it running. */
    Rollout resume(String id) throws IOException;

    /** {@code id} null: the one active rollout. Returns it aborted: a new rollout of its devices can start at once. */
    Rollout abort(String id) throws IOException;

    /** Every netboot assignment in the order they apply, each with the known devices it decides now. */
    List<NetbootAssignmentView> netbootAssignments() throws IOException;

    /** Assigns {@code image} to the device or tag (an existing assignment keeps its place) and returns it as it now stands. */
    NetbootAssignmentView assignNetboot(NetbootAssignment.Kind kind, String target, String image) throws IOException;

    /** Removes the device's or tag's assignment; false when there was none. */
    boolean unassignNetboot(NetbootAssignment.Kind kind, String target) throws IOException;

    /**
     * The assignment that decides the image of the netboot client with this MAC and/or Raspberry Pi
     * serial (either may be null): the one of the device that reported them, else of its first-assigned tag.
     */
    Optional<NetbootAssignment> netbootAssignmentFor(String mac, String piSerial) throws IOException;

    /** Makes an API token {@code name} with {@code role}; the secret is in the result and nowhere else. A taken name is {@code token.exists}. */
    io.fleetkit.ota.server.access.NewToken createToken(String name, io.fleetkit.ota.server.access.Role role) throws IOException;

    /** Every API token, by name (never the secrets). */
    List<io.fleetkit.ota.server.access.TokenInfo> tokens() throws IOException;

    /** Revokes the token {@code name} at once; an unknown name is {@code token.unknown}. */
    void revokeToken(String name) throws IOException;

    /** The newest {@code limit} changes of the audit log, oldest of them first. */
    default List<io.fleetkit.ota.server.access.AuditEntry> audit(int limit) throws IOException {
        return audit(limit, null);
    }

    /** The newest {@code limit} changes before the entry {@code before} ({@code seq}; null: the newest of all), oldest of them first. */
    List<io.fleetkit.ota.server.access.AuditEntry> audit(int limit, Long before) throws IOException;

    @Override
    void close();
}
