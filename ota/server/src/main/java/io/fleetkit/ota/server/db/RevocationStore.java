package io.fleetkit.ota.server.db;

import io.fleetkit.ota.server.security.Revocation;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** The {@code revocations} table: the certificates the fleet no longer admits (docs/protocol.md, "Security"). */
public final class RevocationStore {

    public void add(Connection c, Revocation r) throws SQLException {
        Sql.update(c, "INSERT INTO revocations (device_id, serial, reason, revoked_at) VALUES (?, ?, ?, ?)", r.deviceId(), r.serial(),
                r.reason(), r.revokedAt().toEpochMilli());
    }

    /** Every revocation, oldest first. */
    public List<Revocation> list(Connection c) throws SQLException {
        return Sql.list(c, "SELECT device_id, serial, reason, revoked_at FROM revocations ORDER BY revoked_at, device_id",
                rs -> new Revocation(rs.getString(1), rs.getString(2), rs.getString(3), Instant.ofEpochMilli(rs.getLong(4))));
    }
}
