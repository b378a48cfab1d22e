package io.fleetkit.ota.server.db;

import io.fleetkit.ota.protocol.UpdateEvent;
import io.fleetkit.ota.protocol.UpdateState;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * The {@code events} table; (device, epoch, seq) is the key, so a repeated event is stored once, and a
 * device whose data was wiped (a new epoch, seq from 1 again) is not taken for a repeat. An event
 * without an epoch (an older agent) has epoch "".
 */
public final class EventStore {

    /** Stores the event; false when this (device, epoch, seq) was already there (a repeat). */
    public boolean add(Connection c, UpdateEvent e, Instant now) throws SQLException {
        if (Sql.count(c, "SELECT COUNT(*) FROM events WHERE device_id = ? AND epoch = ? AND seq = ?", e.id(), epoch(e), e.seq()) > 0) {
            return false;
        }
        Sql.update(c, "INSERT INTO events (device_id, epoch, seq, state, target, reason, message, ts, received_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                e.id(), epoch(e), e.seq(), e.state(), e.target(), e.reason(), e.message(), e.ts() == null ? null : e.ts().toEpochMilli(),
                now.toEpochMilli());
        return true;
    }

    /** The highest seq stored for the device under this event's epoch, 0 when none (the first event of a new count). */
    public long newestSeq(Connection c, UpdateEvent e) throws SQLException {
        return Sql.one(c, "SELECT COALESCE(MAX(seq), 0) FROM events WHERE device_id = ? AND epoch = ?", rs -> rs.getLong(1),
                e.id(), epoch(e)).orElse(0L);
    }

    private static String epoch(UpdateEvent e) {
        return e.epoch() == null ? "" : e.epoch();
    }

    /** The device's events, newest last, at most {@code limit} of the newest. */
    public List<EventRecord> forDevice(Connection c, String deviceId, int limit) throws SQLException {
        // in seq order within each count, the counts in the order they began
        List<EventRecord> all = Sql.list(c, "SELECT device_id, seq, state, target, reason, message, ts, received_at FROM events e"
                        + " WHERE device_id = ? ORDER BY (SELECT MIN(f.received_at) FROM events f WHERE f.device_id = e.device_id"
                        + " AND f.epoch = e.epoch), seq",
                rs -> {
                    Long ts = Sql.longOrNull(rs, "ts");
                    return new EventRecord(rs.getString(1), rs.getLong(2), UpdateState.valueOf(rs.getString(3)), rs.getString(4),
                            rs.getString(5), rs.getString(6), ts == null ? null : Instant.ofEpochMilli(ts),
                            Instant.ofEpochMilli(rs.getLong(8)));
                }, deviceId);
        return all.size() > limit ? all.subList(all.size() - limit, all.size()) : all;
    }
}
