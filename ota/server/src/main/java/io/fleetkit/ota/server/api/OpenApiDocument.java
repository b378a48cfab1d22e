package io.fleetkit.ota.server.api;

import io.fleetkit.json.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The API's OpenAPI 3 document, written by hand beside the routes (openapi.json in this package's resources). */
public final class OpenApiDocument {

    private static final Object DOCUMENT = load();

    private OpenApiDocument() {
    }

    /** The document as a JSON value (parsed once, so a broken file fails the server's start, not a request). */
    public static Object json() {
        return DOCUMENT;
    }

    private static Object load() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream("openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is missing from the server's resources");
            }
            return JsonParser.parse(in.readAllBytes(), 1 << 20);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
