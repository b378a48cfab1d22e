package io.fleetkit.ota.server.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The schema, as numbered steps; {@code schema_version} records the last one applied, so an
 * older database is brought forward on open and a newer one is refused. A change of the schema is
 * a new step at the end, never an edit of an applied one. On PostgreSQL the steps are applied
 * under an advisory lock, so servers starting together apply them once. Times are epoch
 * milliseconds (BIGINT), JSON is text: portable between H2 and PostgreSQL.
 */
final class SchemaMigrations {

    static final List<List<String>> STEPS = List.of(List.of(
            "CREATE TABLE devices (id VARCHAR(64) PRIMARY KEY, board VARCHAR(128), version VARCHAR(128),"
                    + " version_number BIGINT NOT NULL DEFAULT 0, slot VARCHAR(16), slots_json VARCHAR(4096),"
                    + " update_state VARCHAR(16), update_target VARCHAR(128), update_progress DOUBLE PRECISION,"
                    + " update_reason VARCHAR(1024), free_bytes BIGINT, uptime_seconds BIGINT, agent VARCHAR(128),"
                    + " tags VARCHAR(4200) NOT NULL DEFAULT '', online BOOLEAN NOT NULL DEFAULT FALSE, last_seen BIGINT,"
                    + " desired_json VARCHAR(4096), desired_rev BIGINT NOT NULL DEFAULT 0, desired_published_rev BIGINT NOT NULL DEFAULT 0)",
            "CREATE TABLE bundles (sha256 VARCHAR(64) PRIMARY KEY, name VARCHAR(128) NOT NULL, version VARCHAR(128) NOT NULL,"
                    + " version_number BIGINT NOT NULL, board VARCHAR(128) NOT NULL, size BIGINT NOT NULL,"
                    + " header_size BIGINT NOT NULL, chunk_size INT NOT NULL, chunks INT NOT NULL, path VARCHAR(1024) NOT NULL,"
                    + " manifest_json VARCHAR(1000000) NOT NULL, published_at BIGINT NOT NULL, UNIQUE (name, board))",
            "CREATE TABLE rollouts (id VARCHAR(32) PRIMARY KEY, seq BIGINT NOT NULL UNIQUE, target VARCHAR(128) NOT NULL,"
                    + " selector VARCHAR(1024) NOT NULL, phases VARCHAR(512) NOT NULL, max_failures DOUBLE PRECISION NOT NULL,"
                    + " timeout_ms BIGINT NOT NULL, state VARCHAR(16) NOT NULL, current_phase INT NOT NULL,"
                    + " phase_count INT NOT NULL, accepted_failures INT NOT NULL DEFAULT 0, reason VARCHAR(1024),"
                    + " created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)",
            "CREATE TABLE rollout_devices (rollout_id VARCHAR(32) NOT NULL, device_id VARCHAR(64) NOT NULL, phase INT NOT NULL,"
                    + " bundle_sha256 VARCHAR(64) NOT NULL, state VARCHAR(16) NOT NULL, reason VARCHAR(1024),"
                    + " offered_at BIGINT, updated_at BIGINT NOT NULL, PRIMARY KEY (rollout_id, device_id))",
            "CREATE INDEX rollout_devices_device ON rollout_devices (device_id)",
            "CREATE TABLE events (device_id VARCHAR(64) NOT NULL, seq BIGINT NOT NULL, state VARCHAR(16) NOT NULL,"
                    + " target VARCHAR(128), reason VARCHAR(1024), message VARCHAR(1024), ts BIGINT, received_at BIGINT NOT NULL,"
                    + " PRIMARY KEY (device_id, seq))"),
            // 2: netboot. A device's network identity from its reports (a MAC belongs to the device that
            // reported it last; pi_serial is the 8-hex-digit form the Pi firmware netboots with), and
            // which image a device or a tag (group) netboots; seq orders tag assignments by creation.
            List.of(
            "ALTER TABLE devices ADD COLUMN serial VARCHAR(64)",
            "ALTER TABLE devices ADD COLUMN pi_serial VARCHAR(8)",
            "CREATE INDEX devices_pi_serial ON devices (pi_serial)",
            "CREATE TABLE device_macs (mac VARCHAR(17) PRIMARY KEY, device_id VARCHAR(64) NOT NULL)",
            "CREATE INDEX device_macs_device ON device_macs (device_id)",
            "CREATE TABLE netboot_assignments (kind VARCHAR(8) NOT NULL, target VARCHAR(128) NOT NULL, image VARCHAR(128) NOT NULL,"
                    + " seq BIGINT NOT NULL UNIQUE, created_at BIGINT NOT NULL, PRIMARY KEY (kind, target))"),
            // 3: the device's host name and the values of its image's declared settings, as it reports them.
            List.of(
            "ALTER TABLE devices ADD COLUMN hostname VARCHAR(63)",
            "ALTER TABLE devices ADD COLUMN settings_json VARCHAR(16384)"),
            // 4: trust. The certificate a device last connected with (serial in hex, expiry), as the embedded broker
            // saw it (a table of its own: a connection alone does not make a device); revocations: every certificate of a device issued before revoked_at (serial NULL), or one serial.
            List.of(
            "CREATE TABLE device_certificates (device_id VARCHAR(64) PRIMARY KEY, serial VARCHAR(40) NOT NULL, not_after BIGINT NOT NULL)",
            "CREATE TABLE revocations (device_id VARCHAR(64) NOT NULL, serial VARCHAR(40), reason VARCHAR(1024) NOT NULL,"
                    + " revoked_at BIGINT NOT NULL)",
            "CREATE INDEX revocations_device ON revocations (device_id)"),
            // 5: several servers on one database. Counters for the keys that were MAX(seq)+1 (two servers' transactions
            // got the same one), carried on from the rows there are.
            List.of(
            "CREATE TABLE counters (name VARCHAR(64) PRIMARY KEY, last_value BIGINT NOT NULL)",
            "INSERT INTO counters (name, last_value) SELECT 'rollouts', COALESCE(MAX(seq), 0) FROM rollouts",
            "INSERT INTO counters (name, last_value) SELECT 'netboot_assignments', COALESCE(MAX(seq), 0) FROM netboot_assignments"),
            // 6: the order of the report applied last (its epoch, run and number), so a late, older one is not applied over it.
            List.of(
            "ALTER TABLE devices ADD COLUMN report_epoch VARCHAR(16)",
            "ALTER TABLE devices ADD COLUMN report_run BIGINT",
            "ALTER TABLE devices ADD COLUMN report_n BIGINT"),
            // 7: events keyed by (device, epoch, seq): a device whose data partition was wiped counts its events from 1
            // again under a new epoch (ReportOrder's), and those are new events, not repeats. Older rows get epoch ''.
            // A new table renamed into place, because the primary key changes (portable to H2 and PostgreSQL alike).
            List.of(
            "CREATE TABLE events_by_epoch (device_id VARCHAR(64) NOT NULL, epoch VARCHAR(16) NOT NULL, seq BIGINT NOT NULL,"
                    + " state VARCHAR(16) NOT NULL, target VARCHAR(128), reason VARCHAR(1024), message VARCHAR(1024), ts BIGINT,"
                    + " received_at BIGINT NOT NULL, PRIMARY KEY (device_id, epoch, seq))",
            "INSERT INTO events_by_epoch (device_id, epoch, seq, state, target, reason, message, ts, received_at)"
                    + " SELECT device_id, '', seq, state, target, reason, message, ts, received_at FROM events",
            "DROP TABLE events",
            "ALTER TABLE events_by_epoch RENAME TO events"),
            // 8: operators. API tokens (only the SHA-256 of each token is stored, never the token), the audit log of every
            // change made through the API or the CLI (seq from a counter, so several servers never share one), and indexes
            // for listing devices a page at a time by board or version in id order (keyset pagination).
            List.of(
            "CREATE TABLE api_tokens (name VARCHAR(64) PRIMARY KEY, role VARCHAR(16) NOT NULL, token_sha256 VARCHAR(64) NOT NULL UNIQUE,"
                    + " created_at BIGINT NOT NULL, created_by VARCHAR(128) NOT NULL, last_used_at BIGINT)",
            "CREATE TABLE audit_log (seq BIGINT PRIMARY KEY, at BIGINT NOT NULL, actor VARCHAR(128) NOT NULL, source VARCHAR(128) NOT NULL,"
                    + " action VARCHAR(64) NOT NULL, target VARCHAR(256), detail VARCHAR(1024))",
            "INSERT INTO counters (name, last_value) VALUES ('audit_log', 0)",
            "CREATE INDEX devices_board_id ON devices (board, id)",
            "CREATE INDEX devices_version_id ON devices (version, id)"));

    /** The advisory lock that makes PostgreSQL apply the steps once when several servers start together ("fleet" in ASCII). */
    private static final long MIGRATION_LOCK = 0x666c656574L;

    private SchemaMigrations() {
    }

    static void apply(Database db) throws SQLException {
        db.transaction(c -> {
            lockAgainstOtherServers(c);
            int current = currentVersion(c);
            if (current > STEPS.size()) {
                throw new SQLException("database schema version " + current + " is newer than this server (" + STEPS.size()
                        + "); use a newer fleet release");
            }
            try (Statement s = c.createStatement()) {
                for (int v = current; v < STEPS.size(); v++) {
                    for (String sql : STEPS.get(v)) {
                        s.execute(sql);
                    }
                }
                s.executeUpdate("UPDATE schema_version SET version = " + STEPS.size());
            }
            return null;
        });
    }

    /**
     * On PostgreSQL, waits for the transaction-scoped advisory lock, so that of several servers starting on one database
     * one applies the steps and the others, when they get the lock, find them applied. H2 is opened by one server (the CLI
     * reaches it through that server), so it needs none.
     */
    private static void lockAgainstOtherServers(Connection c) throws SQLException {
        if ("PostgreSQL".equals(c.getMetaData().getDatabaseProductName())) {
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")");
            }
        }
    }

    /** The current schema as a metadata pattern ({@code _} and {@code %} taken literally); null (any) when there is none. */
    private static String schemaPattern(Connection c) throws SQLException {
        String schema = c.getSchema();
        if (schema == null) {
            return null;
        }
        String escape = c.getMetaData().getSearchStringEscape();
        return escape == null || escape.isEmpty() ? schema
                : schema.replace(escape, escape + escape).replace("_", escape + "_").replace("%", escape + "%");
    }

    private static int currentVersion(Connection c) throws SQLException {
        boolean exists;
        // only the schema the fleet's tables go to: on a shared PostgreSQL another schema's table of that name is not ours
        try (ResultSet rs = c.getMetaData().getTables(null, schemaPattern(c), null, new String[] {"TABLE"})) {
            exists = false;
            while (rs.next()) {
                if (rs.getString("TABLE_NAME").equalsIgnoreCase("schema_version")) {
                    exists = true;
                }
            }
        }
        try (Statement s = c.createStatement()) {
            if (!exists) {
                s.execute("CREATE TABLE schema_version (version INT NOT NULL)");
                s.executeUpdate("INSERT INTO schema_version (version) VALUES (0)");
                return 0;
            }
            try (ResultSet rs = s.executeQuery("SELECT version FROM schema_version")) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        }
    }
}
