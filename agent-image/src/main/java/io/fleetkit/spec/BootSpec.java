package io.fleetkit.spec;

import io.fleetkit.board.BootloaderKind;
import java.util.Objects;
import java.util.Optional;

/**
 * How the image switches between its A/B slots: the spec's {@code boot.method}, one of the
 * {@link BootloaderKind} ids. Empty = the board profile's default (U-Boot's {@code boot.scr});
 * whether a board offers the method is the board profile's to say, at build time.
 */
public record BootSpec(Optional<BootloaderKind> method) {

    public BootSpec {
        Objects.requireNonNull(method);
    }

    static BootSpec boardDefault() {
        return new BootSpec(Optional.empty());
    }
}
