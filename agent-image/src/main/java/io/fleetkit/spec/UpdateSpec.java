package io.fleetkit.spec;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Over-the-air updates: present means the image carries the update agent.
 *
 * @param keys the fleet key directory (resolved; may not exist yet — {@code fleet keys init}
 *             makes it, and the builder checks it)
 * @param server the MQTT server, {@code tcp://host:port} or {@code ssl://host:port}
 * @param netbootInstall whether a netbooted system installs the image to the board's disk
 */
public record UpdateSpec(Path keys, URI server, HealthSpec health, NetbootInstall netbootInstall) {

    public UpdateSpec {
        Objects.requireNonNull(keys);
        Objects.requireNonNull(server);
        Objects.requireNonNull(health);
        Objects.requireNonNull(netbootInstall);
    }

    public UpdateSpec(Path keys, URI server, HealthSpec health) {
        this(keys, server, health, NetbootInstall.NEVER);
    }
}
