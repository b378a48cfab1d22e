package io.fleetkit.ota.server.api;

import java.io.IOException;

/**
 * What a streaming route answers instead of one JSON body: a source the server polls, sending each new value as a
 * server-sent event named {@code event} (only when it changed), until the source says it was the last.
 */
public record EventStream(String event, Source source) {

    /** The current value, read again at each poll. */
    @FunctionalInterface
    public interface Source {
        Frame take() throws IOException;
    }

    /** A value (a JSON value, as the routes' bodies) and whether nothing will change after it (the stream then ends). */
    public record Frame(Object doc, boolean last) {
    }
}
