package io.fleetkit.ota.server.devices;

import io.fleetkit.ota.server.db.Database;
import io.fleetkit.ota.server.db.Sql;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which bundles a device was offered (a rollout's desired update named it for that device): only those
 * are served to it, in chunks or over HTTPS. Answers are remembered for a while, so a download does not
 * cost a query per chunk, and a device asking for what it was never offered does not cost one per request.
 */
public final class OfferedBundles {

    private static final long OFFERED_NANOS = 60_000_000_000L;
    private static final long NOT_OFFERED_NANOS = 2_000_000_000L;

    private final Database db;
    private final ConcurrentHashMap<String, Long> offeredUntil = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Long> notOfferedUntil = new ConcurrentHashMap<>();

    public OfferedBundles(Database db) {
        this.db = db;
    }

    public boolean offered(String deviceId, String bundleSha256) throws SQLException {
        String key = deviceId + "/" + bundleSha256;
        long now = System.nanoTime();
        Long until = offeredUntil.get(key);
        if (until != null && until - now > 0) {
            return true;
        }
        Long notUntil = notOfferedUntil.get(key);
        if (notUntil != null && notUntil - now > 0) {
            return false;
        }
        boolean offered = db.transaction(c -> Sql.count(c, "SELECT COUNT(*) FROM rollout_devices WHERE device_id = ? AND bundle_sha256 = ?"
                + " AND offered_at IS NOT NULL", deviceId, bundleSha256) > 0);
        if (notOfferedUntil.size() > 100_000) {
            notOfferedUntil.clear(); // a bound on what strangers' requests can make it remember
        }
        (offered ? offeredUntil : notOfferedUntil).put(key, now + (offered ? OFFERED_NANOS : NOT_OFFERED_NANOS));
        return offered;
    }
}
