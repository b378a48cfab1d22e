package io.fleetkit.spec;

import java.util.Objects;

/**
 * A bind mount into a service, written {@code /host/path:/service/path[:ro|rw]}; read-write
 * unless {@code :ro} (as in Docker), since binds exist mostly to give a read-only service a
 * writable place.
 */
public record BindSpec(String source, String target, boolean readOnly) {

    public BindSpec {
        Objects.requireNonNull(source);
        Objects.requireNonNull(target);
    }

    @Override
    public String toString() {
        return source + ":" + target + (readOnly ? ":ro" : ":rw");
    }
}
