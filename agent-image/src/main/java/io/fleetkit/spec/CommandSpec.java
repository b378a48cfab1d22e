package io.fleetkit.spec;

import java.util.List;
import java.util.Objects;

/** A named command run to completion: an {@code onboot}/{@code onshutdown} step or a health check. */
public record CommandSpec(String name, List<String> command) {

    public CommandSpec {
        Objects.requireNonNull(name);
        command = List.copyOf(command);
    }
}
