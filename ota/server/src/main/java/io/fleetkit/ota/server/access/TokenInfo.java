package io.fleetkit.ota.server.access;

import java.time.Instant;

/** An API token as `fleet token list` shows it: never the token itself. {@code lastUsedAt} null: never used. */
public record TokenInfo(String name, Role role, Instant createdAt, String createdBy, Instant lastUsedAt) {
}
