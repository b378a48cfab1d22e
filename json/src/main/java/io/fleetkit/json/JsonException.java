package io.fleetkit.json;

/** Input that is not the JSON we accept; the message says what and where. */
public class JsonException extends RuntimeException {

    public JsonException(String message) {
        super(message);
    }
}
