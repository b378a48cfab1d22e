package io.fleetkit.spec;

import java.util.Objects;
import java.util.Optional;

/** A Debian package for the board's architecture, optionally pinned ({@code crun=1.8.1-1+deb12u1}). */
public record PackageSpec(String name, Optional<String> version) {

    public PackageSpec {
        Objects.requireNonNull(name);
        Objects.requireNonNull(version);
    }

    /** As written in the spec: {@code name} or {@code name=version}. */
    @Override
    public String toString() {
        return version.map(v -> name + "=" + v).orElse(name);
    }
}
