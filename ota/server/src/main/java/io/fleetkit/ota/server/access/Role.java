package io.fleetkit.ota.server.access;

import io.fleetkit.events.UsageException;
import java.util.Locale;

/**
 * What an API token may do, each role including the ones before it: viewers read; operators also run rollouts
 * and tag devices; admins also manage bundles, device identities, netboot assignments and tokens.
 */
public enum Role {
    VIEWER, OPERATOR, ADMIN;

    /** Whether a holder of this role may do what {@code needed} may. */
    public boolean includes(Role needed) {
        return compareTo(needed) >= 0;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String text) {
        for (Role r : values()) {
            if (r.label().equals(text)) {
                return r;
            }
        }
        throw new UsageException("token.bad-role", "'" + text + "' is not a role: viewer, operator or admin",
                "Viewers read; operators also run rollouts and tag devices; admins also manage bundles, identities and tokens.");
    }
}
