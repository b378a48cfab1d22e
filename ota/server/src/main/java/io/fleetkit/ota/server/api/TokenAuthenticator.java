package io.fleetkit.ota.server.api;

import io.fleetkit.ota.server.access.ApiToken;
import io.fleetkit.ota.server.access.Role;
import io.fleetkit.ota.server.access.TokenInfo;
import io.fleetkit.ota.server.db.Database;
import io.fleetkit.ota.server.db.TokenStore;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;

/**
 * Who a request comes from: the {@code Authorization: Bearer <token>} header's token, found by its SHA-256 (a
 * revoked token is gone from the table, so refused at once). Missing or unknown: 401; a role below the route's: 403.
 */
final class TokenAuthenticator {

    private static final String FIX = "Send Authorization: Bearer <token>; an admin makes one with `fleet token create NAME --role ROLE`.";

    private final Database db;
    private final Clock clock;
    private final TokenStore tokens = new TokenStore();

    TokenAuthenticator(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** The token's holder, allowed {@code needed}; notes the use. */
    TokenInfo authenticate(String authorization, Role needed) throws SQLException {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ApiException(401, "api.unauthorized", "no API token in the request", FIX);
        }
        String token = authorization.substring(7).trim();
        Optional<TokenInfo> found = ApiToken.wellFormed(token)
                ? db.transaction(c -> {
                    Optional<TokenInfo> t = tokens.bySha256(c, ApiToken.sha256(token));
                    if (t.isPresent()) {
                        tokens.touch(c, t.get().name(), clock.instant());
                    }
                    return t;
                })
                : Optional.empty();
        TokenInfo t = found.orElseThrow(() -> new ApiException(401, "api.unauthorized", "the API token is not known (revoked, or mistyped)", FIX));
        if (!t.role().includes(needed)) {
            throw new ApiException(403, "api.forbidden", "token " + t.name() + " is a " + t.role().label() + " token; this needs "
                    + needed.label(), "Use a token with role " + needed.label() + " or above (`fleet token create NAME --role " + needed.label() + "`).");
        }
        return t;
    }
}
