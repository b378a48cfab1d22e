package io.fleetkit.spec;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * When a new slot counts as healthy: every check exits 0 within {@code timeout} of boot
 * (default 120s). No checks = healthy once all services are started. {@code requireBroker}
 * ({@code require_broker}, default true): the agent must also reach its MQTT broker; false for a
 * device meant to run offline (updated from a file), which then commits on its local checks alone.
 */
public record HealthSpec(Duration timeout, List<CommandSpec> checks, boolean requireBroker) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

    public HealthSpec {
        Objects.requireNonNull(timeout);
        checks = List.copyOf(checks);
    }

    public HealthSpec(Duration timeout, List<CommandSpec> checks) {
        this(timeout, checks, true);
    }
}
