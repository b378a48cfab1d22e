package io.fleetkit.ota.agent;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Decides whether a system on trial is healthy: all services up (a command, by default one that
 * checks the init's failure markers), the broker reachable, and each per-spec check command
 * exiting 0. The agent repeats {@link #attempt()} until it passes or the trial's deadline
 * passes; the deadline is the agent's, so this class does not sleep.
 */
public final class HealthCheck {

    /** One attempt's verdict; {@code reason} is a stable code, {@code message} names the check. */
    public record Outcome(boolean healthy, String reason, String message) {
        static final Outcome OK = new Outcome(true, null, "all checks passed");
    }

    private final String services;
    private final Map<String, String> checks;
    private final BooleanSupplier brokerReachable;
    private final Duration commandTimeout;

    public HealthCheck(String services, Map<String, String> checks, BooleanSupplier brokerReachable, Duration commandTimeout) {
        this.services = services;
        this.checks = new LinkedHashMap<>(checks);
        this.brokerReachable = brokerReachable;
        this.commandTimeout = commandTimeout;
    }

    public Outcome attempt() {
        if (services != null && !services.isBlank()) {
            int rc = run(services);
            if (rc != 0) {
                return new Outcome(false, "health.services-down", "services check '" + services + "' exited " + rc);
            }
        }
        if (!brokerReachable.getAsBoolean()) {
            return new Outcome(false, "health.broker-unreachable", "the MQTT broker is not reachable");
        }
        for (Map.Entry<String, String> c : checks.entrySet()) {
            int rc = run(c.getValue());
            if (rc != 0) {
                return new Outcome(false, "health.check-failed", "check '" + c.getKey() + "' exited " + rc);
            }
        }
        return Outcome.OK;
    }

    /** Runs {@code /bin/sh -c command}; -1 when it could not start or ran past the timeout (it is then killed). */
    private int run(String command) {
        try {
            Process p = new ProcessBuilder(List.of("/bin/sh", "-c", command)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(commandTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
