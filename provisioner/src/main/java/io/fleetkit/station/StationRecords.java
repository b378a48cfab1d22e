package io.fleetkit.station;

import io.fleetkit.events.FleetkitException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The station's records in an H2 database ({@code <dir>/station.mv.db}). A device is recorded as
 * IN_PROGRESS before its first byte is written and moved to DONE or FAILED after; every change is
 * checkpointed to disk at once, so a killed station loses no record, and on the next open every
 * row still IN_PROGRESS becomes INTERRUPTED: no device is marked good that was not verified.
 * H2 locks the file, so two stations cannot share a directory.
 */
public final class StationRecords implements AutoCloseable {

    private static final String COLUMNS = "id, device_id, serial, cert_sha256, image_name, image_version, image_digest, "
            + "target, started_at, ended_at, bytes_written, verify, status, error";

    private final Connection db;

    private StationRecords(Connection db) {
        this.db = db;
    }

    public static StationRecords open(Path dir) {
        try {
            Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.toAbsolutePath().resolve("station"), "station", "");
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS provisioning (id BIGINT AUTO_INCREMENT PRIMARY KEY, "
                        + "device_id VARCHAR(64) NOT NULL, serial VARCHAR(128), cert_sha256 VARCHAR(64), "
                        + "image_name VARCHAR(255), image_version VARCHAR(64), image_digest VARCHAR(128), "
                        + "target VARCHAR(255) NOT NULL, started_at TIMESTAMP WITH TIME ZONE NOT NULL, "
                        + "ended_at TIMESTAMP WITH TIME ZONE, bytes_written BIGINT DEFAULT 0 NOT NULL, verify VARCHAR(16), "
                        + "status VARCHAR(16) NOT NULL, error VARCHAR(4000))");
                s.execute("CREATE SEQUENCE IF NOT EXISTS device_seq START WITH 1 NO CACHE");
                s.executeUpdate("UPDATE provisioning SET status = 'INTERRUPTED', ended_at = CURRENT_TIMESTAMP, "
                        + "error = 'the station stopped before this device was finished and verified' WHERE status = 'IN_PROGRESS'");
                s.execute("CHECKPOINT");
            }
            return new StationRecords(c);
        } catch (SQLException e) {
            throw new FleetkitException("station.records", "cannot open the station database in " + dir + ": " + e.getMessage(),
                    "is another station running on that directory? Each station needs its own --dir", e);
        }
    }

    /** The next device number; never handed out twice, even across restarts. */
    public synchronized long nextSequence() {
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT NEXT VALUE FOR device_seq")) {
            r.next();
            long v = r.getLong(1);
            s.execute("CHECKPOINT");
            return v;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /** Records a device as IN_PROGRESS and returns its record id. */
    public synchronized long start(String deviceId, String serial, String certSha256, String imageName, String imageVersion,
                                   String imageDigest, String target, Instant started) {
        try (PreparedStatement p = db.prepareStatement("INSERT INTO provisioning (device_id, serial, cert_sha256, image_name, "
                + "image_version, image_digest, target, started_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'IN_PROGRESS')",
                Statement.RETURN_GENERATED_KEYS)) {
            p.setString(1, deviceId);
            p.setString(2, serial);
            p.setString(3, certSha256);
            p.setString(4, imageName);
            p.setString(5, imageVersion);
            p.setString(6, imageDigest);
            p.setString(7, target);
            p.setTimestamp(8, Timestamp.from(started));
            p.executeUpdate();
            long id;
            try (ResultSet keys = p.getGeneratedKeys()) {
                keys.next();
                id = keys.getLong(1);
            }
            checkpoint();
            return id;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /** Ends a record: DONE (verify PASSED) or FAILED with the error. */
    public synchronized void finish(long id, String status, long bytes, String verify, String error, Instant ended) {
        try (PreparedStatement p = db.prepareStatement("UPDATE provisioning SET status = ?, bytes_written = ?, verify = ?, "
                + "error = ?, ended_at = ? WHERE id = ?")) {
            p.setString(1, status);
            p.setLong(2, bytes);
            p.setString(3, verify);
            p.setString(4, error == null ? null : error.length() > 4000 ? error.substring(0, 4000) : error);
            p.setTimestamp(5, Timestamp.from(ended));
            p.setLong(6, id);
            p.executeUpdate();
            checkpoint();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    public synchronized List<ProvisioningRecord> all() {
        List<ProvisioningRecord> out = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT " + COLUMNS + " FROM provisioning ORDER BY id")) {
            while (r.next()) {
                Timestamp ended = r.getTimestamp(10);
                out.add(new ProvisioningRecord(r.getLong(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5),
                        r.getString(6), r.getString(7), r.getString(8), r.getTimestamp(9).toInstant(),
                        ended == null ? null : ended.toInstant(), r.getLong(11), r.getString(12), r.getString(13), r.getString(14)));
            }
        } catch (SQLException e) {
            throw failed(e);
        }
        return out;
    }

    private void checkpoint() throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("CHECKPOINT");
        }
    }

    private static FleetkitException failed(SQLException e) {
        return new FleetkitException("station.records", "the station database failed: " + e.getMessage(),
                "check the disk holding the station directory", e);
    }

    @Override
    public void close() {
        try {
            db.close();
        } catch (SQLException e) {
            // closing; nothing left to save
        }
    }
}
