package io.fleetkit.flash;

import java.io.IOException;

/** Receives the chunks of an image in write order, then {@link #finish()} once all came. */
@FunctionalInterface
public interface ChunkConsumer {

    void accept(Chunk chunk) throws IOException;

    default void finish() throws IOException {
    }
}
