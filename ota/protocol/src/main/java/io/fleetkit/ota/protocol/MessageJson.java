package io.fleetkit.ota.protocol;

import io.fleetkit.json.JsonException;
import io.fleetkit.json.JsonFields;
import io.fleetkit.json.JsonParser;
import java.util.regex.Pattern;

/**
 * One untrusted JSON message opened for reading: size checked before decoding, strict UTF-8, {@code schema} present
 * and not above {@link Schema#CURRENT}; its fields are then read through {@link JsonFields}, every problem a
 * {@code protocol.malformed} {@link ProtocolException}. Unknown fields are ignored. Also the protocol's own field forms
 * (names, SHA-256 digests).
 */
final class MessageJson {

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+~-]{0,127}");
    static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    static final JsonFields.Errors MALFORMED = ProtocolException::malformed;

    private MessageJson() {
    }

    static JsonFields parse(byte[] payload, String what, int maxBytes) {
        if (payload == null) {
            throw ProtocolException.malformed(what, "no payload");
        }
        if (payload.length > maxBytes) {
            throw new ProtocolException("protocol.too-large", what + " is " + payload.length + " bytes, more than the limit of " + maxBytes);
        }
        JsonFields f;
        try {
            f = JsonFields.of(what, JsonParser.parseObject(payload, maxBytes), MALFORMED);
        } catch (JsonException e) {
            throw ProtocolException.malformed(what, e.getMessage());
        }
        long schema = f.requiredLong("schema");
        if (schema > Schema.CURRENT) {
            throw new ProtocolException("protocol.unsupported-schema", what + " has schema " + schema + "; this side speaks up to " + Schema.CURRENT);
        }
        if (schema < 1) {
            throw f.bad("schema " + schema + " is not a schema number");
        }
        return f;
    }

    static String optionalName(JsonFields f, String key) {
        return f.optionalString(key, Schema.MAX_NAME, NAME, "a name of [A-Za-z0-9._+~-]");
    }

    static String requiredName(JsonFields f, String key) {
        return f.requiredString(key, Schema.MAX_NAME, NAME, "a name of [A-Za-z0-9._+~-]");
    }

    static String requiredSha256(JsonFields f, String key) {
        return f.requiredString(key, 64, SHA256, "64 lowercase hex digits");
    }
}
