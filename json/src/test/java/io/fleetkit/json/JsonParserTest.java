package io.fleetkit.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The parser reads untrusted input on the device and the server: everything that is not strict JSON is refused with a JsonException. */
class JsonParserTest {

    private static final String DOCUMENT = """
            {"schema":1,"id":"gw-001","ok":true,"none":null,"n":-12,"x":2.5e-3,\
            "list":[1,"two",[],{}],"nested":{"s":"a\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00"}}""";

    private static JsonException refused(String text) {
        return assertThrows(JsonException.class, () -> JsonParser.parse(text, Integer.MAX_VALUE), text.length() > 100 ? text.substring(0, 100) : text);
    }

    @Test
    void readsEveryKindOfValue() {
        Map<String, Object> m = JsonParser.parseObject(DOCUMENT, 1 << 20);
        assertEquals(List.of("schema", "id", "ok", "none", "n", "x", "list", "nested"), new ArrayList<>(m.keySet()), "insertion order");
        assertEquals(1L, m.get("schema"));
        assertEquals("gw-001", m.get("id"));
        assertEquals(Boolean.TRUE, m.get("ok"));
        assertTrue(m.containsKey("none"));
        assertNull(m.get("none"));
        assertEquals(-12L, m.get("n"));
        assertEquals(new BigDecimal("2.5e-3"), m.get("x"));
        assertEquals(List.of(1L, "two", List.of(), Map.of()), m.get("list"));
        assertEquals("a\"b\\c/d\b\f\n\r\té\uD83D\uDE00", ((Map<?, ?>) m.get("nested")).get("s"));
    }

    @Test
    void readsWhatTheWriterWrites() {
        Map<String, Object> m = JsonParser.parseObject(DOCUMENT, 1 << 20);
        assertEquals(m, JsonParser.parse(JsonWriter.write(m)));
        assertEquals(m, JsonParser.parse(JsonWriter.writePretty(m)));
    }

    @Test
    void allowsTheFourWhitespaceCharactersAroundTokens() {
        assertEquals(List.of(1L, Map.of("a", true)), JsonParser.parse(" \t\r\n[ 1 ,\n{ \"a\" : true } ]\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "{", "}", "[", "]", ",", ":", "[1,]", "[,1]", "[1,,2]", "{\"a\":1,}", "{,}", "{a:1}", "{'a':1}",
        "{\"a\" 1}", "{\"a\":}", "{\"a\"}", "{1:2}", "{null:1}", "[1 2]", "{\"a\":1 \"b\":2}", "tru", "nul", "fals", "True", "NULL",
        "NaN", "Infinity", "-Infinity", "undefined", "'a'", "\"abc", "\"\\x\"", "\"\\\"", "\"\\u12\"", "\"\\u12G4\"",
        "// comment\n1", "/* c */ 1", "#1", "\u00a01", "\ufeff{}", "\u000b1", "\u000c1", "\u20281"})
    void refusesWhatIsNotJson(String text) {
        refused(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"01", "-01", "00", "1.", "-1.", ".5", "-.5", "1.e5", "+1", "-", "--1", "- 1", "1e", "1e+", "1E-", "1e5.5",
        "1ee5", "1.2.3", "0x10", "1_000", "0b1", "1f", "1d", "1L"})
    void refusesNumbersOutsideTheJsonGrammar(String number) {
        refused(number);
        refused("[" + number + "]");
        refused("{\"n\":" + number + "}");
    }

    @Test
    void refusesEveryTruncationOfADocument() {
        for (int end = 0; end < DOCUMENT.length(); end++) {
            String prefix = DOCUMENT.substring(0, end);
            JsonException e = refused(prefix);
            assertTrue(e.getMessage().contains(" at offset "), prefix + " -> " + e.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"{} x", "{}{}", "1 2", "[] ]", "[]]", "nullx", "truefalse", "{}\u0000", "\"a\"\"b\"", "{},", "1 // c"})
    void refusesTextAfterTheValue(String text) {
        assertTrue(refused(text).getMessage().contains("unexpected text after the JSON value"), text);
    }

    @Test
    void boundsNestingWithoutExhaustingTheStack() {
        assertEquals(64, depth(JsonParser.parse("[".repeat(64) + "]".repeat(64))));
        for (int depth : new int[] {66, 1000, 1_000_000}) {
            assertTrue(refused("[".repeat(depth) + "]".repeat(depth)).getMessage().contains("nested deeper than 64"));
            assertTrue(refused("{\"a\":".repeat(depth) + "1" + "}".repeat(depth)).getMessage().contains("nested deeper than 64"));
            assertTrue(refused("[".repeat(depth)).getMessage().contains("nested deeper than 64"), "unclosed: " + depth);
        }
    }

    private static int depth(Object v) {
        return v instanceof List<?> l && !l.isEmpty() ? 1 + depth(l.get(0)) : v instanceof List<?> ? 1 : 0;
    }

    @Test
    void readsIntegersAsLongUntilTheyDoNotFit() {
        assertEquals(Long.MAX_VALUE, JsonParser.parse("9223372036854775807"));
        assertEquals(Long.MIN_VALUE, JsonParser.parse("-9223372036854775808"));
        assertEquals(new BigDecimal("9223372036854775808"), JsonParser.parse("9223372036854775808"));
        assertEquals(new BigDecimal("-9223372036854775809"), JsonParser.parse("-9223372036854775809"));
        assertEquals(0L, JsonParser.parse("-0"));
        assertEquals(new BigDecimal("1E+2"), JsonParser.parse("1E+2"));
        assertEquals(new BigDecimal("1.0"), JsonParser.parse("1.0"));
    }

    @Test
    void keepsHugeExponentsAsNumbersWithoutExpandingThem() {
        BigDecimal big = (BigDecimal) JsonParser.parse("1e999999999");
        assertEquals(Double.POSITIVE_INFINITY, big.doubleValue());
        BigDecimal tiny = (BigDecimal) JsonParser.parse("-1.5E-999999999");
        assertEquals(-0.0, tiny.doubleValue());
        refused("1e2147483648"); // past what any number type here can carry
        refused("1e-2147483649");
    }

    @Test
    void refusesNumbersTooLongToBeReadCheaply() {
        String longest = "1" + "0".repeat(JsonParser.MAX_NUMBER_CHARS - 1);
        assertEquals(new BigDecimal(longest), JsonParser.parse(longest));
        assertTrue(refused(longest + "0").getMessage().contains("longer than " + JsonParser.MAX_NUMBER_CHARS), "one digit more");
        // A million digits took BigDecimal half a minute: one payload could stall a server's message thread.
        String million = "[" + "7".repeat(1_000_000) + "]";
        assertTrue(refused(million).getMessage().contains("longer than"));
        refused("0." + "0".repeat(1_000_000) + "1");
    }

    @Test
    void refusesDuplicateKeysAtAnyDepthAndThroughEscapes() {
        assertTrue(refused("{\"a\":1,\"a\":2}").getMessage().contains("duplicate key \"a\""));
        refused("{\"a\":1,\"b\":{\"c\":1,\"c\":1}}");
        refused("{\"a\":1,\"\\u0061\":2}");
        refused("{\"\":1,\"\":2}");
        assertEquals(Map.of("a", Map.of("a", 1L)), JsonParser.parse("{\"a\":{\"a\":1}}"), "the same key in two objects is fine");
        assertEquals(List.of(Map.of("a", 1L), Map.of("a", 2L)), JsonParser.parse("[{\"a\":1},{\"a\":2}]"));
    }

    @Test
    void refusesControlCharactersInStringsButReadsThemEscaped() {
        for (char c = 0; c < 0x20; c++) {
            refused("\"a" + c + "b\"");
            refused("{\"k" + c + "\":1}");
        }
        assertEquals("\u0000\u001f", JsonParser.parse("\"\\u0000\\u001F\""));
        assertEquals("\u007f", JsonParser.parse("\"\u007f\""), "DEL is not a control character in JSON");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\\u+041", "\\u-001", "\\u 041", "\\u0x41", "\\u004", "\\U0041", "\\u"})
    void refusesUnicodeEscapesThatAreNotFourHexDigits(String escape) {
        refused("\"" + escape + "\"");
        refused("\"" + escape + "xyz\"");
    }

    @Test
    void readsHexDigitsOfEitherCase() {
        assertEquals("\u00e9\u00E9\uabcd", JsonParser.parse("\"\\u00e9\\u00E9\\uABcd\""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\\ud800", "\\udbff", "\\udc00", "\\udfff", "\\ud800\\u0041", "\\ud800x", "\\udc00\\ud800", "\\ud800\\ud800",
        "\\ude00\\ud83d"})
    void refusesUnpairedSurrogateEscapes(String escapes) {
        assertTrue(refused("\"" + escapes + "\"").getMessage().contains("surrogate"), escapes);
    }

    @Test
    void refusesUnpairedSurrogatesInTheText() {
        refused("\"\uD800\"");
        refused("\"\uDC00x\"");
        refused("{\"\uD83D\":1}");
        assertEquals("\uD83D\uDE00", JsonParser.parse("\"\uD83D\uDE00\""));
    }

    @Test
    void readsUtf8Bytes() {
        byte[] utf8 = "{\"name\":\"Zürich \uD83D\uDE00\"}".getBytes(StandardCharsets.UTF_8);
        assertEquals(Map.of("name", "Zürich \uD83D\uDE00"), JsonParser.parseObject(utf8, utf8.length));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ff", "c0 80", "c1 bf", "e0 80 80", "f0 80 80 80", "80", "bf", "c3", "e2 82", "f0 9f 98", "ed a0 80",
        "ed bf bf", "f4 90 80 80", "f8 88 80 80 80", "fe"})
    void refusesBytesThatAreNotUtf8(String hex) {
        byte[] bad = HexFormat.of().parseHex(hex.replace(" ", ""));
        for (byte[] text : List.of(concat("\"", bad, "\""), concat("{\"k\":\"a", bad, "\"}"), concat("[1]", bad, ""),
                concat("{\"", bad, "\":1}"))) {
            JsonException e = assertThrows(JsonException.class, () -> JsonParser.parse(text, 1024), hex);
            assertTrue(e.getMessage().contains("not UTF-8"), e.getMessage());
        }
    }

    private static byte[] concat(String before, byte[] middle, String after) {
        byte[] a = before.getBytes(StandardCharsets.UTF_8);
        byte[] c = after.getBytes(StandardCharsets.UTF_8);
        byte[] all = Arrays.copyOf(a, a.length + middle.length + c.length);
        System.arraycopy(middle, 0, all, a.length, middle.length);
        System.arraycopy(c, 0, all, a.length + middle.length, c.length);
        return all;
    }

    @Test
    void boundsTheDocumentSize() {
        String doc = "[" + "1,".repeat(499) + "1]";
        assertEquals(500, ((List<?>) JsonParser.parse(doc, doc.length())).size());
        JsonException e = assertThrows(JsonException.class, () -> JsonParser.parse(doc, doc.length() - 1));
        assertTrue(e.getMessage().contains("more than the limit of " + (doc.length() - 1)), e.getMessage());
        byte[] bytes = doc.getBytes(StandardCharsets.UTF_8);
        assertEquals(500, ((List<?>) JsonParser.parse(bytes, bytes.length)).size());
        JsonException b = assertThrows(JsonException.class, () -> JsonParser.parse(bytes, bytes.length - 1));
        assertTrue(b.getMessage().contains("more than the limit of " + (bytes.length - 1)), b.getMessage());
    }

    @Test
    void anObjectIsRequiredWhereOneIsAskedFor() {
        assertTrue(assertThrows(JsonException.class, () -> JsonParser.parseObject("[1]", 100)).getMessage().contains("expected a JSON object"));
        assertThrows(JsonException.class, () -> JsonParser.parseObject("null", 100));
        byte[] array = "[]".getBytes(StandardCharsets.UTF_8);
        assertThrows(JsonException.class, () -> JsonParser.parseObject(array, 100));
    }

    @Test
    void errorsSayWhere() {
        assertEquals("unexpected character 'x' at offset 4", refused("[1, x]").getMessage());
        assertEquals("expected ',' or ']' at offset 3", refused("[1 2]").getMessage());
        assertEquals("duplicate key \"a\" at offset 7", refused("{\"a\":1,\"a\":2}").getMessage());
        assertEquals("bad number '1.x' at offset 1", refused("[1.x]").getMessage());
    }

    @Test
    void errorsQuoteOnlyTheStartOfLongInput() {
        String key = "k".repeat(100_000);
        assertTrue(refused("{\"" + key + "\":1,\"" + key + "\":2}").getMessage().length() < 200);
        assertTrue(refused("[0." + "5".repeat(100) + "e]").getMessage().length() < 200);
    }

    @Test
    void returnsMutableContainersOfItsOwn() {
        Object v = JsonParser.parse("{\"a\":[1]}");
        assertInstanceOf(LinkedHashMap.class, v);
        assertInstanceOf(ArrayList.class, ((Map<?, ?>) v).get("a"));
        assertArrayEquals(new Object[] {1L}, ((List<?>) ((Map<?, ?>) v).get("a")).toArray());
    }
}
