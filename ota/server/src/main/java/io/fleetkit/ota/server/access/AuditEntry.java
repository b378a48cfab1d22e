package io.fleetkit.ota.server.access;

import java.time.Instant;

/**
 * One change in the audit log: who ({@link Actor#name()}), from where ({@link Actor#source()}), when, what
 * ({@code action} such as {@code rollout.pause}), to what ({@code target}: a device, rollout, bundle or token) and a
 * short {@code detail}. {@code seq} orders the log.
 */
public record AuditEntry(long seq, Instant at, String actor, String source, String action, String target, String detail) {
}
