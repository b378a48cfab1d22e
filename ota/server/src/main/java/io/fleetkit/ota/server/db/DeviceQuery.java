package io.fleetkit.ota.server.db;

import io.fleetkit.events.UsageException;
import io.fleetkit.ota.protocol.UpdateState;

/**
 * One page of the fleet: devices matching every filter given (null: any), in id order, after the id {@code after}
 * (null: from the start), at most {@code limit} ({@value #MAX_LIMIT} at most). {@code tag} is one of the
 * device's tags; {@code state} its update state; {@code idPrefix} the start of its id (the dashboard's search box).
 */
public record DeviceQuery(String board, String version, UpdateState state, String tag, Boolean online, String after, int limit, String idPrefix) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    public static final DeviceQuery FIRST_PAGE = new DeviceQuery(null, null, null, null, null, null, DEFAULT_LIMIT);

    /** Without an id prefix (the filters the CLI has). */
    public DeviceQuery(String board, String version, UpdateState state, String tag, Boolean online, String after, int limit) {
        this(board, version, state, tag, online, after, limit, null);
    }

    public DeviceQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new UsageException("devices.bad-limit", "page size " + limit + " is not 1.." + MAX_LIMIT,
                    "Ask for at most " + MAX_LIMIT + " devices a page and follow `next`.");
        }
        if (tag != null && !io.fleetkit.ota.protocol.Names.isValid(tag)) { // also keeps LIKE's % out of the tag filter
            throw new UsageException("devices.bad-tag", "tag '" + tag + "' is not a name", "Tags are a letter or digit, then up to 127 of"
                    + " letters, digits and ._+~-");
        }
        if (idPrefix != null && !idPrefix.isEmpty() && !io.fleetkit.ota.protocol.DeviceIds.isValid(idPrefix)) {
            throw new UsageException("devices.bad-prefix", "'" + (idPrefix.length() > 80 ? idPrefix.substring(0, 80) + "…" : idPrefix)
                    + "' cannot start a device id", "Device ids are 1-64 of [A-Za-z0-9._-], starting with a letter or digit.");
        }
    }

    public DeviceQuery after(String id) {
        return new DeviceQuery(board, version, state, tag, online, id, limit, idPrefix);
    }
}
