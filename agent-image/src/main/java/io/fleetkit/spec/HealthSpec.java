package io.fleetkit.spec;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * When a new slot counts as healthy: every check exits 0 within {@code timeout} of boot
 * (default 120s). No checks = healthy once all services are started.
 */
public record HealthSpec(Duration timeout, List<CommandSpec> checks) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

    public HealthSpec {
        Objects.requireNonNull(timeout);
        checks = List.copyOf(checks);
    }
}
