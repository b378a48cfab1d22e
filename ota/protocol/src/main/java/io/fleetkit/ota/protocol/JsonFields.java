package io.fleetkit.ota.protocol;

import io.fleetkit.json.JsonException;
import io.fleetkit.json.JsonParser;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Typed, bounded access to one untrusted JSON message: size checked before decoding, strict
 * UTF-8, {@code schema} present and not above {@link Schema#CURRENT}, every field checked for its
 * type. Unknown fields are ignored.
 */
final class JsonFields {

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+~-]{0,127}");
    static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final String what;
    private final Map<String, Object> map;

    private JsonFields(String what, Map<String, Object> map) {
        this.what = what;
        this.map = map;
    }

    static JsonFields parse(byte[] payload, String what, int maxBytes) {
        if (payload == null) {
            throw ProtocolException.malformed(what, "no payload");
        }
        if (payload.length > maxBytes) {
            throw new ProtocolException("protocol.too-large", what + " is " + payload.length + " bytes, more than the limit of " + maxBytes);
        }
        Map<String, Object> map;
        try {
            map = JsonParser.parseObject(payload, maxBytes);
        } catch (JsonException e) {
            throw ProtocolException.malformed(what, e.getMessage());
        }
        JsonFields f = new JsonFields(what, map);
        long schema = f.requiredLong("schema");
        if (schema > Schema.CURRENT) {
            throw new ProtocolException("protocol.unsupported-schema", what + " has schema " + schema + "; this side speaks up to " + Schema.CURRENT);
        }
        if (schema < 1) {
            throw ProtocolException.malformed(what, "schema " + schema + " is not a schema number");
        }
        return f;
    }

    static JsonFields of(String what, Map<String, Object> map) {
        return new JsonFields(what, map);
    }

    boolean has(String key) {
        return map.get(key) != null;
    }

    String requiredString(String key, int maxLength) {
        String s = optionalString(key, maxLength);
        if (s == null) {
            throw missing(key);
        }
        return s;
    }

    String optionalString(String key, int maxLength) {
        Object v = map.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw wrongType(key, "a string");
        }
        if (s.length() > maxLength) {
            throw ProtocolException.malformed(what, "'" + key + "' is " + s.length() + " characters, more than " + maxLength);
        }
        return s;
    }

    String optionalName(String key) {
        String s = optionalString(key, Schema.MAX_NAME);
        if (s != null && !NAME.matcher(s).matches()) {
            throw ProtocolException.malformed(what, "'" + key + "' is '" + Text.shorten(s) + "', not a name of [A-Za-z0-9._+~-]");
        }
        return s;
    }

    String requiredName(String key) {
        String s = optionalName(key);
        if (s == null) {
            throw missing(key);
        }
        return s;
    }

    String requiredSha256(String key) {
        String s = requiredString(key, 64);
        if (!SHA256.matcher(s).matches()) {
            throw ProtocolException.malformed(what, "'" + key + "' is not 64 lowercase hex digits");
        }
        return s;
    }

    long requiredLong(String key) {
        Object v = map.get(key);
        if (v == null) {
            throw missing(key);
        }
        if (!(v instanceof Long l)) {
            throw wrongType(key, "an integer");
        }
        return l;
    }

    long optionalLong(String key, long fallback) {
        return has(key) ? requiredLong(key) : fallback;
    }

    long requiredNonNegative(String key) {
        long v = requiredLong(key);
        if (v < 0) {
            throw ProtocolException.malformed(what, "'" + key + "' is negative");
        }
        return v;
    }

    int requiredInt(String key, int min, int max) {
        long v = requiredLong(key);
        if (v < min || v > max) {
            throw ProtocolException.malformed(what, "'" + key + "' is " + v + ", outside " + min + ".." + max);
        }
        return (int) v;
    }

    double optionalDouble(String key, double fallback) {
        Object v = map.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof BigDecimal d) {
            return d.doubleValue();
        }
        throw wrongType(key, "a number");
    }

    boolean requiredBoolean(String key) {
        Object v = map.get(key);
        if (!(v instanceof Boolean b)) {
            throw v == null ? missing(key) : wrongType(key, "true or false");
        }
        return b;
    }

    Instant optionalInstant(String key) {
        String s = optionalString(key, 64);
        if (s == null) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw ProtocolException.malformed(what, "'" + key + "' is not an ISO-8601 UTC time");
        }
    }

    @SuppressWarnings("unchecked")
    JsonFields optionalObject(String key) {
        Object v = map.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Map)) {
            throw wrongType(key, "an object");
        }
        return new JsonFields(what + "." + key, (Map<String, Object>) v);
    }

    Map<String, Object> raw() {
        return map;
    }

    List<?> optionalList(String key, int maxItems) {
        Object v = map.get(key);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> list)) {
            throw wrongType(key, "a list");
        }
        if (list.size() > maxItems) {
            throw ProtocolException.malformed(what, "'" + key + "' has " + list.size() + " items, more than " + maxItems);
        }
        return list;
    }

    String what() {
        return what;
    }

    ProtocolException missing(String key) {
        return ProtocolException.malformed(what, "'" + key + "' is missing");
    }

    private ProtocolException wrongType(String key, String expected) {
        return ProtocolException.malformed(what, "'" + key + "' must be " + expected);
    }
}
