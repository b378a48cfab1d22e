package io.fleetkit.json;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON parser for untrusted input (MQTT payloads, manifests, OCI configs): bounded
 * nesting, size and number length, no trailing garbage, duplicate keys and unpaired surrogates
 * refused, and from bytes only UTF-8. Objects become insertion-ordered maps, arrays lists, numbers
 * {@code Long} when integral and in range, else {@code BigDecimal}.
 */
public final class JsonParser {

    private static final int MAX_DEPTH = 64;
    /** Longer than any number a JSON writer produces; BigDecimal reads n digits in O(n^2), a million took half a minute. */
    static final int MAX_NUMBER_CHARS = 256;

    private final String text;
    private int pos;

    private JsonParser(String text) {
        this.text = text;
    }

    /** Parses a whole document of at most {@code maxChars} characters. */
    public static Object parse(String text, int maxChars) {
        if (text.length() > maxChars) {
            throw new JsonException("JSON document is " + text.length() + " characters, more than the limit of " + maxChars);
        }
        JsonParser p = new JsonParser(text);
        p.skipSpace();
        Object value = p.value(0);
        p.skipSpace();
        if (p.pos != text.length()) {
            throw p.error("unexpected text after the JSON value");
        }
        return value;
    }

    public static Object parse(String text) {
        return parse(text, 16 * 1024 * 1024);
    }

    /** Parses a whole document of at most {@code maxBytes} bytes, which must be UTF-8. */
    public static Object parse(byte[] utf8, int maxBytes) {
        if (utf8.length > maxBytes) {
            throw new JsonException("JSON document is " + utf8.length + " bytes, more than the limit of " + maxBytes);
        }
        return parse(Utf8.decode(utf8), maxBytes);
    }

    /** Parses a document that must be an object. */
    public static Map<String, Object> parseObject(String text, int maxChars) {
        return object(parse(text, maxChars));
    }

    /** Parses a UTF-8 document that must be an object. */
    public static Map<String, Object> parseObject(byte[] utf8, int maxBytes) {
        return object(parse(utf8, maxBytes));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object v) {
        if (!(v instanceof Map)) {
            throw new JsonException("expected a JSON object");
        }
        return (Map<String, Object>) v;
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) {
            throw error("JSON nested deeper than " + MAX_DEPTH);
        }
        if (pos >= text.length()) {
            throw error("unexpected end of JSON");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw error("unexpected character '" + c + "'");
            }
        };
    }

    private Map<String, Object> object(int depth) {
        Map<String, Object> map = new LinkedHashMap<>();
        pos++;
        skipSpace();
        if (peek() == '}') {
            pos++;
            return map;
        }
        while (true) {
            skipSpace();
            if (peek() != '"') {
                throw error("expected a quoted key");
            }
            int keyAt = pos;
            String key = string();
            skipSpace();
            expect(':');
            skipSpace();
            if (map.containsKey(key)) {
                throw errorAt(keyAt, "duplicate key \"" + excerpt(key) + "\"");
            }
            map.put(key, value(depth + 1));
            skipSpace();
            int at = pos;
            char c = next();
            if (c == '}') {
                return map;
            }
            if (c != ',') {
                throw errorAt(at, "expected ',' or '}'");
            }
        }
    }

    private List<Object> array(int depth) {
        List<Object> list = new ArrayList<>();
        pos++;
        skipSpace();
        if (peek() == ']') {
            pos++;
            return list;
        }
        while (true) {
            skipSpace();
            list.add(value(depth + 1));
            skipSpace();
            int at = pos;
            char c = next();
            if (c == ']') {
                return list;
            }
            if (c != ',') {
                throw errorAt(at, "expected ',' or ']'");
            }
        }
    }

    private String string() {
        pos++;
        StringBuilder sb = new StringBuilder();
        boolean highSurrogate = false; // the last char was the first half of a pair: the next must be its second
        while (true) {
            int at = pos;
            char c = next();
            if (c == '"') {
                if (highSurrogate) {
                    throw errorAt(at, "unpaired surrogate in string");
                }
                return sb.toString();
            }
            if (c < 0x20) {
                throw errorAt(at, "control character in string");
            }
            if (c == '\\') {
                c = escape(at);
            }
            if (highSurrogate != Character.isLowSurrogate(c)) {
                throw errorAt(at, "unpaired surrogate in string"); // such a string has no UTF-8 form
            }
            highSurrogate = Character.isHighSurrogate(c);
            sb.append(c);
        }
    }

    private char escape(int at) {
        char e = next();
        return switch (e) {
            case '"', '\\', '/' -> e;
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'u' -> hexEscape(at);
            default -> throw errorAt(at, "bad escape \\" + e);
        };
    }

    /** Exactly four hex digits: Integer.parseInt would also take a sign and non-ASCII digits. */
    private char hexEscape(int at) {
        if (pos + 4 > text.length()) {
            throw errorAt(at, "short \\u escape");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            char h = text.charAt(pos + i);
            int digit = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10 : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
            if (digit < 0) {
                throw errorAt(at, "bad \\u escape");
            }
            v = v * 16 + digit;
        }
        pos += 4;
        return (char) v;
    }

    /** RFC 8259 section 6: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)? */
    private Object number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else {
            digits(start);
        }
        boolean integral = true;
        if (peek() == '.') {
            pos++;
            digits(start);
            integral = false;
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            digits(start);
            integral = false;
        }
        if (pos - start > MAX_NUMBER_CHARS) {
            throw errorAt(start, "number of " + (pos - start) + " characters, longer than " + MAX_NUMBER_CHARS);
        }
        String s = text.substring(start, pos);
        try {
            BigDecimal d = new BigDecimal(s);
            if (integral) {
                try {
                    return d.longValueExact();
                } catch (ArithmeticException tooBig) {
                    return d;
                }
            }
            return d;
        } catch (NumberFormatException e) {
            throw errorAt(start, "bad number '" + s + "'"); // an exponent past the int range
        }
    }

    /** One or more digits, or the number starting at {@code start} is not JSON. */
    private void digits(int start) {
        if (!isDigit(peek())) {
            throw errorAt(start, "bad number '" + excerpt(text.substring(start, Math.min(text.length(), pos + 1))) + "'");
        }
        while (isDigit(peek())) {
            pos++;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, pos)) {
            throw error("unexpected text");
        }
        pos += word.length();
        return value;
    }

    private void skipSpace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private char next() {
        if (pos >= text.length()) {
            throw error("unexpected end of JSON");
        }
        return text.charAt(pos++);
    }

    private void expect(char c) {
        int at = pos;
        if (next() != c) {
            throw errorAt(at, "expected '" + c + "'");
        }
    }

    private JsonException error(String message) {
        return errorAt(pos, message);
    }

    /** Untrusted text in a message, cut short: a message must not grow with the input. */
    private static String excerpt(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }

    private JsonException errorAt(int offset, String message) {
        return new JsonException(message + " at offset " + offset);
    }
}
