package io.fleetkit.json;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One parsed JSON object read field by field, each field checked for the type it must have. The one place that
 * knows how to read typed values out of {@link JsonParser}'s maps: manifests, protocol messages, API bodies and
 * answers all read through it. A JSON {@code null} counts as absent. A field that is not what it must be becomes the
 * caller's own exception through {@link Errors}, with a detail naming the field and what was expected (for example
 * {@code 'size' must be an integer}), so each caller keeps its error code.
 */
public final class JsonFields {

    /** Makes the caller's exception for {@code what} (the object's name, e.g. "device report") and a detail. */
    @FunctionalInterface
    public interface Errors {
        RuntimeException bad(String what, String detail);
    }

    /** {@link JsonException}s reading "what: detail", for callers that rewrap one exception type themselves. */
    public static final Errors JSON = (what, detail) -> new JsonException(what + ": " + detail);

    private static final int SHOWN_CHARS = 80;

    private final String what;
    private final Map<String, Object> map;
    private final Errors errors;

    private JsonFields(String what, Map<String, Object> map, Errors errors) {
        this.what = what;
        this.map = map;
        this.errors = errors;
    }

    /** Reads {@code json}, which must be an object (else {@code errors} says "not a JSON object"). */
    @SuppressWarnings("unchecked")
    public static JsonFields of(String what, Object json, Errors errors) {
        if (!(json instanceof Map<?, ?> m)) {
            throw errors.bad(what, "not a JSON object");
        }
        return new JsonFields(what, (Map<String, Object>) m, errors);
    }

    public String what() {
        return what;
    }

    /** The object as parsed, for callers that walk its keys. */
    public Map<String, Object> raw() {
        return map;
    }

    public Object get(String key) {
        return map.get(key);
    }

    public boolean has(String key) {
        return map.get(key) != null;
    }

    /** The caller's exception for this object, for checks of its own (a value out of a domain's rules). */
    public RuntimeException bad(String detail) {
        return errors.bad(what, detail);
    }

    public RuntimeException missing(String key) {
        return bad("'" + key + "' is missing");
    }

    private RuntimeException wrongType(String key, String expected) {
        return bad("'" + key + "' must be " + expected);
    }

    public String optionalString(String key) {
        return optionalString(key, Integer.MAX_VALUE);
    }

    public String optionalString(String key, int maxLength) {
        Object v = map.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw wrongType(key, "a string");
        }
        if (s.length() > maxLength) {
            throw bad("'" + key + "' is " + s.length() + " characters, more than " + maxLength);
        }
        return s;
    }

    /** A string of at most {@code maxLength} characters matching {@code form}, described to the reader as {@code expected}. */
    public String optionalString(String key, int maxLength, Pattern form, String expected) {
        String s = optionalString(key, maxLength);
        if (s != null && !form.matcher(s).matches()) {
            throw bad("'" + key + "' is '" + shorten(s) + "', not " + expected);
        }
        return s;
    }

    public String requiredString(String key) {
        return present(key, optionalString(key));
    }

    public String requiredString(String key, int maxLength) {
        return present(key, optionalString(key, maxLength));
    }

    public String requiredString(String key, int maxLength, Pattern form, String expected) {
        return present(key, optionalString(key, maxLength, form, expected));
    }

    private <T> T present(String key, T value) {
        if (value == null) {
            throw missing(key);
        }
        return value;
    }

    public long requiredLong(String key) {
        if (!(present(key, map.get(key)) instanceof Long l)) {
            throw wrongType(key, "an integer");
        }
        return l;
    }

    public long optionalLong(String key, long fallback) {
        return has(key) ? requiredLong(key) : fallback;
    }

    /** An integer in {@code min..max}. */
    public long requiredLong(String key, long min, long max) {
        long v = requiredLong(key);
        if (v < min || v > max) {
            throw bad("'" + key + "' is " + v + ", outside " + min + ".." + max);
        }
        return v;
    }

    public long requiredNonNegative(String key) {
        long v = requiredLong(key);
        if (v < 0) {
            throw bad("'" + key + "' is negative");
        }
        return v;
    }

    public int requiredInt(String key) {
        return requiredInt(key, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    public int requiredInt(String key, int min, int max) {
        return (int) requiredLong(key, min, max);
    }

    /** Any JSON number, integral or not. */
    public double requiredDouble(String key) {
        Object v = present(key, map.get(key));
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof BigDecimal d) {
            return d.doubleValue();
        }
        throw wrongType(key, "a number");
    }

    public double optionalDouble(String key, double fallback) {
        return has(key) ? requiredDouble(key) : fallback;
    }

    public boolean requiredBoolean(String key) {
        if (!(present(key, map.get(key)) instanceof Boolean b)) {
            throw wrongType(key, "true or false");
        }
        return b;
    }

    /** An ISO-8601 UTC time such as {@code 2026-01-02T03:04:05Z}, or null when absent. */
    public Instant optionalInstant(String key) {
        String s = optionalString(key, 64);
        try {
            return s == null ? null : Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw wrongType(key, "an ISO-8601 UTC time");
        }
    }

    public Instant requiredInstant(String key) {
        return present(key, optionalInstant(key));
    }

    /** One of {@code type}'s constants, named in any case (the project writes them in lower case). */
    public <E extends Enum<E>> E requiredEnum(String key, Class<E> type) {
        String s = requiredString(key);
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(s.toUpperCase(Locale.ROOT))) {
                return e;
            }
        }
        throw wrongType(key, "one of " + Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT));
    }

    /** The object under {@code key}, named {@code what.key} in errors; null when absent. */
    public JsonFields optionalObject(String key) {
        Object v = map.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Map)) {
            throw wrongType(key, "an object");
        }
        return of(what + "." + key, v, errors);
    }

    public JsonFields requiredObject(String key) {
        return present(key, optionalObject(key));
    }

    public List<?> requiredList(String key) {
        if (!(present(key, map.get(key)) instanceof List<?> list)) {
            throw wrongType(key, "a list");
        }
        return list;
    }

    /** The list under {@code key} of at most {@code maxItems} items; empty when absent. */
    public List<?> optionalList(String key, int maxItems) {
        List<?> list = has(key) ? requiredList(key) : List.of();
        if (list.size() > maxItems) {
            throw bad("'" + key + "' has " + list.size() + " items, more than " + maxItems);
        }
        return list;
    }

    public List<String> requiredStrings(String key) {
        List<?> list = requiredList(key);
        if (!list.stream().allMatch(x -> x instanceof String)) {
            throw wrongType(key, "a list of strings");
        }
        return list.stream().map(String.class::cast).toList();
    }

    /** An object of strings (a value may be null), in the document's order. */
    public Map<String, String> requiredStringMap(String key) {
        JsonFields m = requiredObject(key);
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : m.raw().keySet()) {
            out.put(k, m.optionalString(k));
        }
        return out;
    }

    /** Untrusted text made fit for an error message: control characters replaced, long text cut. */
    static String shorten(String s) {
        String clean = s.replaceAll("\\p{Cntrl}", "?");
        return clean.length() <= SHOWN_CHARS ? clean : clean.substring(0, SHOWN_CHARS) + "...";
    }
}
