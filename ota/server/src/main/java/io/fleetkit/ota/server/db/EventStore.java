package io.fleetkit.ota.server.db;

import io.fleetkit.ota.protocol.UpdateEvent;
import io.fleetkit.ota.protocol.UpdateState;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** The {@code events} table; (device, seq) is the key, so a repeated event is stored once. */
public final class EventStore {

    /** Stores the event; false when this (device, seq) was already there (a repeat). */
    public boolean add(Connection c, UpdateEvent e, Instant now) throws SQLException {
        if (Sql.count(c, "SELECT COUNT(*) FROM events WHERE device_id = ? AND seq = ?", e.id(), e.seq()) > 0) {
            return false;
        }
        Sql.update(c, "INSERT INTO events (device_id, seq, state, target, reason, message, ts, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                e.id(), e.seq(), e.state(), e.target(), e.reason(), e.message(), e.ts() == null ? null : e.ts().toEpochMilli(),
                now.toEpochMilli());
        return true;
    }

    /** The highest seq stored for the device, 0 when none. */
    public long newestSeq(Connection c, String deviceId) throws SQLException {
        return Sql.one(c, "SELECT COALESCE(MAX(seq), 0) FROM events WHERE device_id = ?", rs -> rs.getLong(1), deviceId).orElse(0L);
    }

    /** The device's events, newest last, at most {@code limit} of the newest. */
    public List<EventRecord> forDevice(Connection c, String deviceId, int limit) throws SQLException {
        List<EventRecord> all = Sql.list(c, "SELECT device_id, seq, state, target, reason, message, ts, received_at FROM events"
                        + " WHERE device_id = ? ORDER BY seq",
                rs -> {
                    Long ts = Sql.longOrNull(rs, "ts");
                    return new EventRecord(rs.getString(1), rs.getLong(2), UpdateState.valueOf(rs.getString(3)), rs.getString(4),
                            rs.getString(5), rs.getString(6), ts == null ? null : Instant.ofEpochMilli(ts),
                            Instant.ofEpochMilli(rs.getLong(8)));
                }, deviceId);
        return all.size() > limit ? all.subList(all.size() - limit, all.size()) : all;
    }
}
