package io.fleetkit.ota.server.db;

import io.fleetkit.ota.server.access.Actor;
import io.fleetkit.ota.server.access.AuditEntry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The {@code audit_log} table: appended to, never changed. */
public final class AuditStore {

    private final Counters counters = new Counters();

    /** Appends a change made by {@code actor}; {@code target} and {@code detail} are clipped to their columns. */
    public AuditEntry append(Connection c, Actor actor, Instant at, String action, String target, String detail) throws SQLException {
        AuditEntry e = new AuditEntry(counters.next(c, Counters.AUDIT_LOG), at, actor.name(), actor.source(), action, clip(target, 256),
                clip(detail, 1024));
        Sql.update(c, "INSERT INTO audit_log (seq, at, actor, source, action, target, detail) VALUES (?, ?, ?, ?, ?, ?, ?)", e.seq(),
                e.at().toEpochMilli(), e.actor(), e.source(), e.action(), e.target(), e.detail());
        return e;
    }

    /** The newest {@code limit} entries, oldest of them first. */
    public List<AuditEntry> newest(Connection c, int limit) throws SQLException {
        return newest(c, limit, null);
    }

    /** The newest {@code limit} entries before {@code before} (a seq; null: the newest of all), oldest of them first. */
    public List<AuditEntry> newest(Connection c, int limit, Long before) throws SQLException {
        List<AuditEntry> out = new ArrayList<>(Sql.list(c, "SELECT seq, at, actor, source, action, target, detail FROM audit_log"
                        + " WHERE seq < ? ORDER BY seq DESC LIMIT ?",
                rs -> new AuditEntry(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7)), before == null ? Long.MAX_VALUE : before, limit));
        Collections.reverse(out);
        return out;
    }

    private static String clip(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
