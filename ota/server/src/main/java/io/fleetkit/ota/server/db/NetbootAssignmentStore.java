package io.fleetkit.ota.server.db;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.ota.protocol.DeviceIds;
import io.fleetkit.ota.protocol.MacAddresses;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which image a device netboots, from {@code netboot_assignments}, so a device's netboot image
 * follows its group. A netboot client is matched to a device by a MAC address the device
 * reported, else by its Raspberry Pi serial ({@link PiSerial}). The device's own assignment beats
 * any tag's; of several tags the device has, the tag assigned first wins (lowest seq; changing a
 * tag's image keeps its place). Every lookup reads the database, so a change of tags or
 * assignments takes effect on the client's next boot.
 */
public final class NetbootAssignmentStore {

    private final Counters counters = new Counters();

    /** Image names as {@code fleet build} names images; tags as the protocol allows them. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+~-]{0,127}");

    /** Assigns {@code image} to the device or tag; an existing assignment for it gets the new image and keeps its order. */
    public void put(Connection c, NetbootAssignment.Kind kind, String target, String image, Instant now) throws SQLException {
        checkTarget(kind, target);
        if (!NAME.matcher(image).matches()) {
            throw new FleetkitException("netboot.bad-image-name", "'" + image + "' is not an image name",
                    "Use the image's name from fleet.yml (letters, digits, . _ + ~ -), as `fleet netboot serve` lists it.");
        }
        if (Sql.update(c, "UPDATE netboot_assignments SET image = ? WHERE kind = ? AND target = ?", image, kind, target) == 0) {
            long seq = counters.next(c, Counters.NETBOOT_ASSIGNMENTS);
            Sql.update(c, "INSERT INTO netboot_assignments (kind, target, image, seq, created_at) VALUES (?, ?, ?, ?, ?)",
                    kind, target, image, seq, now.toEpochMilli());
        }
    }

    /** Removes the assignment; false when there was none. */
    public boolean remove(Connection c, NetbootAssignment.Kind kind, String target) throws SQLException {
        return Sql.update(c, "DELETE FROM netboot_assignments WHERE kind = ? AND target = ?", kind, target) > 0;
    }

    /** Every assignment in precedence order: device assignments (by device id), then tag assignments (first created first). */
    public List<NetbootAssignment> list(Connection c) throws SQLException {
        return Sql.list(c, "SELECT kind, target, image, seq, created_at FROM netboot_assignments"
                + " ORDER BY CASE WHEN kind = 'DEVICE' THEN 0 ELSE 1 END, seq", NetbootAssignmentStore::row);
    }

    /** The image for a netboot client with this MAC and/or Pi serial (either may be null); empty when none applies. */
    public Optional<String> imageFor(Connection c, String mac, String serial) throws SQLException {
        return assignmentFor(c, mac, serial).map(NetbootAssignment::image);
    }

    /** The assignment that decides the client's image, so a caller can say why (device or which tag). */
    public Optional<NetbootAssignment> assignmentFor(Connection c, String mac, String serial) throws SQLException {
        Optional<String> device = deviceFor(c, mac, serial);
        if (device.isEmpty()) {
            return Optional.empty();
        }
        String tags = Sql.one(c, "SELECT tags FROM devices WHERE id = ?", rs -> rs.getString(1), device.get()).orElse(null);
        List<String> deviceTags = tags == null ? List.of() : Arrays.stream(tags.split(",")).filter(t -> !t.isEmpty()).toList();
        return decide(list(c), device.get(), deviceTags);
    }

    /**
     * The rule in one place: of {@code all} (in {@link #list} order), the device's own assignment,
     * else the first-created assignment of one of its tags.
     */
    public static Optional<NetbootAssignment> decide(List<NetbootAssignment> all, String deviceId, List<String> tags) {
        Optional<NetbootAssignment> own = all.stream()
                .filter(a -> a.kind() == NetbootAssignment.Kind.DEVICE && a.target().equals(deviceId)).findFirst();
        if (own.isPresent()) {
            return own;
        }
        return all.stream().filter(a -> a.kind() == NetbootAssignment.Kind.TAG && tags.contains(a.target()))
                .min(java.util.Comparator.comparingLong(NetbootAssignment::seq));
    }

    /** The device that reported this MAC (checked first) or Pi serial. */
    public Optional<String> deviceFor(Connection c, String mac, String serial) throws SQLException {
        Optional<String> normalized = MacAddresses.normalize(mac);
        if (normalized.isPresent()) {
            Optional<String> byMac = Sql.one(c, "SELECT device_id FROM device_macs WHERE mac = ?", rs -> rs.getString(1), normalized.get());
            if (byMac.isPresent()) {
                return byMac;
            }
        }
        Optional<String> pi = PiSerial.of(serial);
        if (pi.isEmpty()) {
            return Optional.empty();
        }
        return Sql.one(c, "SELECT id FROM devices WHERE pi_serial = ? ORDER BY COALESCE(last_seen, 0) DESC, id", rs -> rs.getString(1), pi.get());
    }

    private static void checkTarget(NetbootAssignment.Kind kind, String target) {
        boolean ok = kind == NetbootAssignment.Kind.DEVICE ? DeviceIds.isValid(target) : target != null && NAME.matcher(target).matches();
        if (!ok) {
            throw new FleetkitException("netboot.bad-assignment-target", "'" + target + "' is not a " + kind.label()
                    + (kind == NetbootAssignment.Kind.DEVICE ? " id" : " name"),
                    "Use a device id as `fleet devices` lists it, or a tag of letters, digits, . _ + ~ -.");
        }
    }

    private static NetbootAssignment row(ResultSet rs) throws SQLException {
        return new NetbootAssignment(NetbootAssignment.Kind.valueOf(rs.getString(1)), rs.getString(2), rs.getString(3), rs.getLong(4),
                Instant.ofEpochMilli(rs.getLong(5)));
    }
}
