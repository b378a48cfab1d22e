package io.fleetkit.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Each field reads as its type, and anything else fails through the caller's own error type, naming the field and what it must be. */
class JsonFieldsTest {

    /** A caller's own exception, to show that the reader throws what the caller makes. */
    static final class CallerException extends RuntimeException {
        CallerException(String message) {
            super(message);
        }
    }

    private static final String DOCUMENT = """
            {"name":"gw-001","n":42,"big":5000000000,"share":0.25,"ok":true,"none":null,"at":"2026-01-02T03:04:05Z",
             "state":"running","tags":["a","b"],"mixed":["a",1],"slots":{"A":"1.0","B":null},"nested":{"deep":{"x":"y"}},
             "long":"%s","ctl":"a\\u0001b"}""".formatted("x".repeat(200));

    private static JsonFields doc() {
        return JsonFields.of("test doc", JsonParser.parse(DOCUMENT), (what, detail) -> new CallerException(what + ": " + detail));
    }

    private static void refused(String message, Consumer<JsonFields> read) {
        CallerException e = assertThrows(CallerException.class, () -> read.accept(doc()));
        assertEquals(message, e.getMessage());
    }

    enum State { RUNNING, STOPPED }

    @Test
    void readsEachTypeItHolds() {
        JsonFields d = doc();
        assertEquals("gw-001", d.requiredString("name"));
        assertEquals("gw-001", d.requiredString("name", 6, Pattern.compile("[a-z0-9-]+"), "a lower-case name"));
        assertEquals(42, d.requiredInt("n", 0, 100));
        assertEquals(5_000_000_000L, d.requiredLong("big"));
        assertEquals(0.25, d.requiredDouble("share"));
        assertEquals(42.0, d.requiredDouble("n"));
        assertEquals(true, d.requiredBoolean("ok"));
        assertEquals(Instant.parse("2026-01-02T03:04:05Z"), d.requiredInstant("at"));
        assertEquals(State.RUNNING, d.requiredEnum("state", State.class));
        assertEquals(List.of("a", "b"), d.requiredStrings("tags"));
        Map<String, String> slots = new LinkedHashMap<>();
        slots.put("A", "1.0");
        slots.put("B", null);
        assertEquals(slots, d.requiredStringMap("slots"));
        assertEquals("y", d.requiredObject("nested").requiredObject("deep").requiredString("x"));
    }

    @Test
    void absentAndNullAreTheSameAndOptionalReadsFallBack() {
        JsonFields d = doc();
        assertFalse(d.has("none"));
        assertNull(d.optionalString("none"));
        assertNull(d.optionalString("nowhere", 3));
        assertEquals(7, d.optionalLong("none", 7));
        assertEquals(0.5, d.optionalDouble("nowhere", 0.5));
        assertNull(d.optionalInstant("none"));
        assertNull(d.optionalObject("none"));
        assertEquals(List.of(), d.optionalList("none", 3));
        refused("test doc: 'none' is missing", f -> f.requiredString("none"));
        refused("test doc: 'nowhere' is missing", f -> f.requiredLong("nowhere"));
        refused("test doc: 'none' is missing", f -> f.requiredBoolean("none"));
        refused("test doc: 'none' is missing", f -> f.requiredList("none"));
    }

    @Test
    void aValueOfAnotherTypeNamesTheFieldAndWhatItMustBe() {
        refused("test doc: 'n' must be a string", f -> f.optionalString("n"));
        refused("test doc: 'name' must be an integer", f -> f.requiredLong("name"));
        refused("test doc: 'share' must be an integer", f -> f.requiredLong("share"));
        refused("test doc: 'name' must be a number", f -> f.requiredDouble("name"));
        refused("test doc: 'n' must be true or false", f -> f.requiredBoolean("n"));
        refused("test doc: 'name' must be an ISO-8601 UTC time", f -> f.requiredInstant("name"));
        refused("test doc: 'name' must be one of [running, stopped]", f -> f.requiredEnum("name", State.class));
        refused("test doc: 'name' must be a list", f -> f.requiredList("name"));
        refused("test doc: 'mixed' must be a list of strings", f -> f.requiredStrings("mixed"));
        refused("test doc: 'tags' must be an object", f -> f.optionalObject("tags"));
        refused("test doc.nested: 'deep' must be a string", f -> f.requiredObject("nested").requiredString("deep"));
        refused("test doc.nested: 'deep' must be a string", f -> f.requiredStringMap("nested"));
    }

    @Test
    void boundsAndFormsAreChecked() {
        refused("test doc: 'n' is 42, outside 0..10", f -> f.requiredInt("n", 0, 10));
        refused("test doc: 'big' is 5000000000, outside -2147483648..2147483647", f -> f.requiredInt("big"));
        refused("test doc: 'name' is 6 characters, more than 3", f -> f.requiredString("name", 3));
        refused("test doc: 'tags' has 2 items, more than 1", f -> f.optionalList("tags", 1));
        refused("test doc: 'name' is 'gw-001', not digits", f -> f.requiredString("name", 64, Pattern.compile("[0-9]+"), "digits"));
        refused("test doc: 'ctl' is 'a?b', not digits", f -> f.optionalString("ctl", 64, Pattern.compile("[0-9]+"), "digits"));
        refused("test doc: 'long' is '" + "x".repeat(80) + "...', not digits",
                f -> f.optionalString("long", 1000, Pattern.compile("[0-9]+"), "digits"));
    }

    @Test
    void aValueThatIsNotAnObjectIsRefusedUpFront() {
        CallerException e = assertThrows(CallerException.class,
                () -> JsonFields.of("answer", List.of(), (what, detail) -> new CallerException(what + ": " + detail)));
        assertEquals("answer: not a JSON object", e.getMessage());
    }

    @Test
    void theDefaultErrorsAreJsonExceptions() {
        JsonException e = assertThrows(JsonException.class,
                () -> JsonFields.of("manifest", JsonParser.parse("{\"n\":\"x\"}"), JsonFields.JSON).requiredLong("n"));
        assertEquals("manifest: 'n' must be an integer", e.getMessage());
        RuntimeException own = doc().bad("a rule of the caller");
        assertSame(CallerException.class, own.getClass());
        assertEquals("test doc: a rule of the caller", own.getMessage());
    }
}
