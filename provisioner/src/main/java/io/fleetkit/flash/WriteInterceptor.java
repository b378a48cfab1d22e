package io.fleetkit.flash;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Called before each write to a target. Production code passes {@link #NONE}; tests use it to
 * make one target fail part-way (a card pulled out), which a real device cannot do on demand.
 */
@FunctionalInterface
public interface WriteInterceptor {

    WriteInterceptor NONE = (target, offset, length) -> { };

    void beforeWrite(Path target, long offset, int length) throws IOException;
}
