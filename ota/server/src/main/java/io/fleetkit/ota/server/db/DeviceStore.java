package io.fleetkit.ota.server.db;

import io.fleetkit.json.JsonParser;
import io.fleetkit.json.JsonWriter;
import io.fleetkit.ota.protocol.DesiredUpdate;
import io.fleetkit.ota.protocol.DeviceReport;
import io.fleetkit.ota.protocol.ReportOrder;
import io.fleetkit.ota.protocol.UpdateState;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code devices} table. Writes are idempotent (the same report twice leaves the same row).
 * The desired update per device is an outbox: {@code desired_rev} counts changes,
 * {@code desired_published_rev} what the broker has got, so whoever holds the broker connection
 * publishes what is missing, also after its own or the broker's restart. The MAC addresses a
 * device reports live in {@code device_macs}; a MAC or serial another device holds stays with that one.
 */
public final class DeviceStore {

    private static final String COLUMNS = "d.id, d.board, d.version, d.version_number, d.slot, d.slots_json, d.update_state,"
            + " d.update_target, d.update_progress, d.update_reason, d.free_bytes, d.uptime_seconds, d.agent, d.tags, d.online, d.last_seen,"
            + " d.desired_json, d.serial, d.hostname, d.settings_json, c.serial AS cert_serial, c.not_after AS cert_not_after";
    private static final String FROM = " FROM devices d LEFT JOIN device_certificates c ON c.device_id = d.id";

    /** A desired message the broker has not got yet. */
    public record PendingDesired(String deviceId, long rev, byte[] payload) {}

    /**
     * Stores the report; returns what it claimed and did not get: MAC addresses and a serial that another device
     * already holds stay with that device (they steer netboot), until it reports without them or is revoked.
     */
    public List<String> applyReport(Connection c, DeviceReport r, Instant now) throws SQLException {
        ensureExists(c, r.id());
        String slots = JsonWriter.write(r.slotVersions());
        Sql.update(c, "UPDATE devices SET board = ?, version = ?, version_number = ?, slot = ?, slots_json = ?, update_state = ?,"
                        + " update_target = ?, update_progress = ?, update_reason = ?, free_bytes = ?, uptime_seconds = ?, agent = ?,"
                        + " last_seen = ?, hostname = ?, settings_json = ?, report_epoch = ?, report_run = ?, report_n = ? WHERE id = ?",
                r.board(), r.version(), r.versionNumber(), r.slot(), slots, r.update().state(), r.update().target(),
                r.update().progress(), r.update().reason(), r.freeBytes(), r.uptimeSeconds(), r.agent(), now.toEpochMilli(),
                r.hostname(), r.settings().isEmpty() ? null : JsonWriter.write(r.settings()),
                r.order() == null ? null : r.order().epoch(), r.order() == null ? null : r.order().run(),
                r.order() == null ? null : r.order().n(), r.id());
        if (!r.tags().isEmpty()) {
            setTags(c, r.id(), r.tags());
        }
        List<String> refused = new java.util.ArrayList<>();
        if (r.serial() != null) {
            String pi = PiSerial.of(r.serial()).orElse(null);
            boolean taken = Sql.count(c, "SELECT COUNT(*) FROM devices WHERE id <> ? AND (serial = ? OR (? IS NOT NULL AND pi_serial = ?))",
                    r.id(), r.serial(), pi, pi) > 0;
            if (taken) {
                refused.add("serial " + r.serial());
            } else {
                Sql.update(c, "UPDATE devices SET serial = ?, pi_serial = ? WHERE id = ?", r.serial(), pi, r.id());
            }
        }
        if (!r.macs().isEmpty() && !r.macs().equals(macs(c, r.id()))) {
            Sql.update(c, "DELETE FROM device_macs WHERE device_id = ?", r.id());
            for (String mac : r.macs()) {
                if (Sql.count(c, "SELECT COUNT(*) FROM device_macs WHERE mac = ?", mac) > 0) {
                    refused.add("MAC " + mac);
                } else {
                    Sql.update(c, "INSERT INTO device_macs (mac, device_id) VALUES (?, ?)", mac, r.id());
                }
            }
        }
        return refused;
    }

    /**
     * False when {@code r} is older than the report applied last (a broker delivered it late): it must not be applied.
     * A report without an order (an agent before it was added), or after one without, is applied.
     */
    public boolean isNewer(Connection c, DeviceReport r) throws SQLException {
        if (r.order() == null) {
            return true;
        }
        Optional<ReportOrder> applied = Sql.one(c, "SELECT report_epoch, report_run, report_n FROM devices WHERE id = ? AND report_epoch IS NOT NULL",
                rs -> new ReportOrder(rs.getString(1), rs.getLong(2), rs.getLong(3)), r.id());
        return applied.isEmpty() || r.order().supersedes(applied.get());
    }

    /** Gives up the device's MACs and serial, so another device may claim them (a revoked device). */
    public void releaseNetworkIdentity(Connection c, String id) throws SQLException {
        Sql.update(c, "DELETE FROM device_macs WHERE device_id = ?", id);
        Sql.update(c, "UPDATE devices SET serial = NULL, pi_serial = NULL WHERE id = ?", id);
    }

    /** The MAC addresses the device reported last, sorted. */
    public List<String> macs(Connection c, String id) throws SQLException {
        return Sql.list(c, "SELECT mac FROM device_macs WHERE device_id = ? ORDER BY mac", rs -> rs.getString(1), id);
    }

    public void setOnline(Connection c, String id, boolean online, Instant now) throws SQLException {
        ensureExists(c, id);
        Sql.update(c, "UPDATE devices SET online = ?, last_seen = ? WHERE id = ?", online, now.toEpochMilli(), id);
    }

    /** Notes that the device was heard from. */
    public void touch(Connection c, String id, Instant now) throws SQLException {
        ensureExists(c, id);
        Sql.update(c, "UPDATE devices SET last_seen = ? WHERE id = ?", now.toEpochMilli(), id);
    }

    /** Notes the certificate the device connected with (the embedded broker checked it); shown once the device has reported. */
    public void setCertificate(Connection c, String id, String serialHex, Instant notAfter) throws SQLException {
        if (Sql.update(c, "UPDATE device_certificates SET serial = ?, not_after = ? WHERE device_id = ?", serialHex, notAfter.toEpochMilli(), id)
                == 0) {
            Sql.update(c, "INSERT INTO device_certificates (device_id, serial, not_after) VALUES (?, ?, ?)", id, serialHex,
                    notAfter.toEpochMilli());
        }
    }

    public void setTags(Connection c, String id, List<String> tags) throws SQLException {
        Sql.update(c, "UPDATE devices SET tags = ? WHERE id = ?", tags.isEmpty() ? "" : "," + String.join(",", tags) + ",", id);
    }

    public Optional<DeviceRecord> find(Connection c, String id) throws SQLException {
        Map<String, List<String>> macs = Map.of(id, macs(c, id));
        return Sql.one(c, "SELECT " + COLUMNS + FROM + " WHERE d.id = ?", rs -> record(rs, macs), id);
    }

    public List<DeviceRecord> list(Connection c) throws SQLException {
        Map<String, List<String>> macs = new LinkedHashMap<>();
        for (String[] row : Sql.list(c, "SELECT device_id, mac FROM device_macs ORDER BY mac", rs -> new String[] {rs.getString(1), rs.getString(2)})) {
            macs.computeIfAbsent(row[0], k -> new java.util.ArrayList<>()).add(row[1]);
        }
        return Sql.list(c, "SELECT " + COLUMNS + FROM + " ORDER BY d.id", rs -> record(rs, macs));
    }

    /** How many devices run each version on each board, and how many of those are online (one aggregate, not a list). */
    public List<io.fleetkit.ota.server.FleetSummary.VersionCount> versionCounts(Connection c) throws SQLException {
        return Sql.list(c, "SELECT board, version, COUNT(*), SUM(CASE WHEN online THEN 1 ELSE 0 END) FROM devices GROUP BY board, version",
                rs -> new io.fleetkit.ota.server.FleetSummary.VersionCount(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)));
    }

    /**
     * The fleet counted by board, version, update state and online, in one aggregate: what metrics show, at the same
     * cost for 10,000 devices as for ten (one scan, a handful of rows back), never a list of devices.
     */
    public List<DeviceGroup> groups(Connection c) throws SQLException {
        return Sql.list(c, "SELECT board, version, update_state, online, COUNT(*) FROM devices GROUP BY board, version, update_state, online",
                rs -> new DeviceGroup(rs.getString(1), rs.getString(2), rs.getString(3) == null ? UpdateState.IDLE : UpdateState.valueOf(rs.getString(3)),
                        rs.getBoolean(4), rs.getLong(5)));
    }

    /**
     * A page of devices, by keyset: {@code id > after ORDER BY id LIMIT n+1}, so a page costs the same at the end of
     * 10,000 devices as at the start (the primary key, or {@code (board, id)} / {@code (version, id)} with those filters).
     */
    public DevicePage page(Connection c, DeviceQuery q) throws SQLException {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        List<Object> args = new java.util.ArrayList<>();
        if (q.after() != null) {
            where.append(" AND d.id > ?");
            args.add(q.after());
        }
        if (q.board() != null) {
            where.append(" AND d.board = ?");
            args.add(q.board());
        }
        if (q.version() != null) {
            where.append(" AND d.version = ?");
            args.add(q.version());
        }
        if (q.state() != null) {
            where.append(q.state() == UpdateState.IDLE ? " AND (d.update_state = ? OR d.update_state IS NULL)" : " AND d.update_state = ?");
            args.add(q.state().name());
        }
        if (q.tag() != null) {
            where.append(" AND d.tags LIKE ?"); // tags are stored as ,a,b, and names have no % or _ wildcard but _: escape it
            args.add("%," + q.tag().replace("_", "\\_") + ",%");
            where.append(" ESCAPE '\\'");
        }
        if (q.idPrefix() != null && !q.idPrefix().isEmpty()) {
            where.append(" AND d.id LIKE ? ESCAPE '\\'"); // ids are [A-Za-z0-9._-]: of LIKE's wildcards only _ can occur
            args.add(q.idPrefix().replace("_", "\\_") + "%");
        }
        if (q.online() != null) {
            where.append(" AND d.online = ?");
            args.add(q.online());
        }
        args.add(q.limit() + 1);
        List<String> ids = Sql.list(c, "SELECT d.id FROM devices d" + where + " ORDER BY d.id LIMIT ?", rs -> rs.getString(1), args.toArray());
        boolean more = ids.size() > q.limit();
        List<String> page = more ? ids.subList(0, q.limit()) : ids;
        if (page.isEmpty()) {
            return new DevicePage(List.of(), null);
        }
        String in = String.join(", ", java.util.Collections.nCopies(page.size(), "?"));
        Map<String, List<String>> macs = new LinkedHashMap<>();
        for (String[] row : Sql.list(c, "SELECT device_id, mac FROM device_macs WHERE device_id IN (" + in + ") ORDER BY mac",
                rs -> new String[] {rs.getString(1), rs.getString(2)}, page.toArray())) {
            macs.computeIfAbsent(row[0], k -> new java.util.ArrayList<>()).add(row[1]);
        }
        List<DeviceRecord> records = Sql.list(c, "SELECT " + COLUMNS + FROM + " WHERE d.id IN (" + in + ") ORDER BY d.id",
                rs -> record(rs, macs), page.toArray());
        return new DevicePage(records, more ? page.get(page.size() - 1) : null);
    }

    /** Sets what the device should run; {@link DesiredUpdate#none()} cancels. Unchanged desired states are not re-sent. */
    public void setDesired(Connection c, String id, DesiredUpdate desired) throws SQLException {
        String json = new String(desired.encode(), StandardCharsets.UTF_8);
        Sql.update(c, "UPDATE devices SET desired_json = ?, desired_rev = desired_rev + 1 WHERE id = ?"
                + " AND (desired_json IS NULL OR desired_json <> ?)", json, id, json);
    }

    public List<PendingDesired> pendingDesired(Connection c, int limit) throws SQLException {
        List<PendingDesired> all = Sql.list(c, "SELECT id, desired_rev, desired_json FROM devices"
                        + " WHERE desired_json IS NOT NULL AND desired_rev > desired_published_rev ORDER BY id",
                rs -> new PendingDesired(rs.getString(1), rs.getLong(2), rs.getString(3).getBytes(StandardCharsets.UTF_8)));
        return all.size() > limit ? all.subList(0, limit) : all;
    }

    public void markPublished(Connection c, String id, long rev) throws SQLException {
        Sql.update(c, "UPDATE devices SET desired_published_rev = ? WHERE id = ? AND desired_published_rev < ?", rev, id, rev);
    }

    /** After a (re)connect to a broker that may have lost its retained messages: send every desired state again. */
    public void republishAll(Connection c) throws SQLException {
        Sql.update(c, "UPDATE devices SET desired_published_rev = 0 WHERE desired_json IS NOT NULL");
    }

    private static void ensureExists(Connection c, String id) throws SQLException {
        if (Sql.count(c, "SELECT COUNT(*) FROM devices WHERE id = ?", id) == 0) {
            Sql.update(c, "INSERT INTO devices (id) VALUES (?)", id);
        }
    }

    @SuppressWarnings("unchecked")
    private static DeviceRecord record(ResultSet rs, Map<String, List<String>> macs) throws SQLException {
        Map<String, String> slots = new LinkedHashMap<>();
        String slotsJson = rs.getString("slots_json");
        if (slotsJson != null) {
            ((Map<String, Object>) JsonParser.parseObject(slotsJson, 8192)).forEach((k, v) -> slots.put(k, (String) v));
        }
        String state = rs.getString("update_state");
        String tags = rs.getString("tags");
        String desired = rs.getString("desired_json");
        Long lastSeen = Sql.longOrNull(rs, "last_seen");
        Map<String, String> settings = new LinkedHashMap<>();
        String settingsJson = rs.getString("settings_json");
        if (settingsJson != null) {
            ((Map<String, Object>) JsonParser.parseObject(settingsJson, 32768)).forEach((k, v) -> settings.put(k, (String) v));
        }
        Long certNotAfter = Sql.longOrNull(rs, "cert_not_after");
        return new DeviceRecord(rs.getString("id"), rs.getString("board"), rs.getString("version"), rs.getLong("version_number"),
                rs.getString("slot"), slots, state == null ? UpdateState.IDLE : UpdateState.valueOf(state), rs.getString("update_target"),
                rs.getDouble("update_progress"), rs.getString("update_reason"), rs.getLong("free_bytes"), rs.getLong("uptime_seconds"),
                rs.getString("agent"),
                tags == null || tags.isEmpty() ? List.of() : Arrays.stream(tags.split(",")).filter(t -> !t.isEmpty()).toList(),
                rs.getBoolean("online"), lastSeen == null ? null : Instant.ofEpochMilli(lastSeen),
                desired == null ? null : DesiredUpdate.decode(desired.getBytes(StandardCharsets.UTF_8)),
                macs.getOrDefault(rs.getString("id"), List.of()), rs.getString("serial"), rs.getString("hostname"), settings,
                rs.getString("cert_serial"), certNotAfter == null ? null : Instant.ofEpochMilli(certNotAfter));
    }
}
