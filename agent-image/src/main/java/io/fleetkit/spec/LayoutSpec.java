package io.fleetkit.spec;

import java.util.Objects;
import java.util.OptionalLong;

/** Partition sizes in bytes; empty = the board profile's default, filled by the builder. */
public record LayoutSpec(OptionalLong slotSize, OptionalLong dataSize, OptionalLong bootSize) {

    public LayoutSpec {
        Objects.requireNonNull(slotSize);
        Objects.requireNonNull(dataSize);
        Objects.requireNonNull(bootSize);
    }

    static LayoutSpec boardDefault() {
        return new LayoutSpec(OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty());
    }
}
