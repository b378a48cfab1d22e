package io.fleetkit.ota.server.db;

import io.fleetkit.ota.server.access.Role;
import io.fleetkit.ota.server.access.TokenInfo;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The {@code api_tokens} table: name, role and the SHA-256 of each token (never the token), when made and last used. */
public final class TokenStore {

    private static final String COLUMNS = "name, role, created_at, created_by, last_used_at";

    /** False when a token of that name exists already. */
    public boolean add(Connection c, TokenInfo t, String sha256) throws SQLException {
        if (Sql.count(c, "SELECT COUNT(*) FROM api_tokens WHERE name = ?", t.name()) > 0) {
            return false;
        }
        Sql.update(c, "INSERT INTO api_tokens (name, role, token_sha256, created_at, created_by) VALUES (?, ?, ?, ?, ?)", t.name(),
                t.role().label(), sha256, t.createdAt().toEpochMilli(), t.createdBy());
        return true;
    }

    /** Every token, by name. */
    public List<TokenInfo> list(Connection c) throws SQLException {
        return Sql.list(c, "SELECT " + COLUMNS + " FROM api_tokens ORDER BY name", TokenStore::info);
    }

    /** The token whose SHA-256 this is (an index lookup). */
    public Optional<TokenInfo> bySha256(Connection c, String sha256) throws SQLException {
        return Sql.one(c, "SELECT " + COLUMNS + " FROM api_tokens WHERE token_sha256 = ?", TokenStore::info, sha256);
    }

    /** Notes a use; written at most once a minute per token, so reads stay reads. */
    public void touch(Connection c, String name, Instant now) throws SQLException {
        Sql.update(c, "UPDATE api_tokens SET last_used_at = ? WHERE name = ? AND (last_used_at IS NULL OR last_used_at < ?)",
                now.toEpochMilli(), name, now.minusSeconds(60).toEpochMilli());
    }

    /** False when there was no token of that name. */
    public boolean remove(Connection c, String name) throws SQLException {
        return Sql.update(c, "DELETE FROM api_tokens WHERE name = ?", name) > 0;
    }

    private static TokenInfo info(ResultSet rs) throws SQLException {
        Long used = Sql.longOrNull(rs, "last_used_at");
        return new TokenInfo(rs.getString("name"), Role.parse(rs.getString("role")), Instant.ofEpochMilli(rs.getLong("created_at")),
                rs.getString("created_by"), used == null ? null : Instant.ofEpochMilli(used));
    }
}
