package io.fleetkit.ota.server.api;

import java.time.Duration;

/**
 * The timing of the API's event streams ({@link EventStreams}): how often a stream polls its source, how long it may
 * stay silent before it sends a heartbeat comment (the write that finds a reader gone), and how long it lives before
 * the client must reconnect. {@link #DEFAULT} is what the server runs with; tests shorten it so they wait for a
 * heartbeat or a freed slot in milliseconds rather than seconds.
 */
public record StreamCadence(Duration poll, Duration heartbeat, Duration lifetime) {

    /** Poll every second, a heartbeat after 2 s of silence, 45 s a stream (below the JDK server's 60 s response limit). */
    public static final StreamCadence DEFAULT = new StreamCadence(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(45));

    public StreamCadence {
        for (Duration d : new Duration[] {poll, heartbeat, lifetime}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("event stream timings must be positive: " + poll + ", " + heartbeat + ", " + lifetime);
            }
        }
    }
}
