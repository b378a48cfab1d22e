package io.fleetkit.ota.bundle;

import io.fleetkit.json.JsonException;
import io.fleetkit.json.JsonParser;
import io.fleetkit.json.JsonWriter;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The canonical JSON form of a {@link BundleManifest}: keys sorted, no whitespace, UTF-8, times
 * as ISO-8601 UTC seconds. Decoding is strict: unknown or missing keys, wrong types, and any text
 * that is not exactly the canonical encoding of what it says are refused, so one manifest has
 * exactly one byte form.
 */
public final class ManifestJson {

    private static final Set<String> KEYS = Set.of("formatVersion", "name", "version", "board", "versionNumber",
            "allowDowngrade", "slotSize", "slotSha256", "chunkSize", "chunkSha256", "createdAt", "expiresAt", "signer");

    private ManifestJson() {
    }

    public static byte[] encode(BundleManifest m) {
        Map<String, Object> map = new TreeMap<>();
        map.put("formatVersion", m.formatVersion());
        map.put("name", m.name());
        map.put("version", m.version());
        map.put("board", m.board());
        map.put("versionNumber", m.versionNumber());
        map.put("allowDowngrade", m.allowDowngrade());
        map.put("slotSize", m.slotSize());
        map.put("slotSha256", m.slotSha256());
        map.put("chunkSize", m.chunkSize());
        map.put("chunkSha256", m.chunkSha256());
        map.put("createdAt", m.createdAt().toString());
        map.put("expiresAt", m.expiresAt().toString());
        map.put("signer", m.signer());
        return JsonWriter.write(map).getBytes(StandardCharsets.UTF_8);
    }

    /** Decodes manifest bytes; any problem is a {@link BundleRefusal#MALFORMED} refusal. */
    public static BundleManifest decode(byte[] bytes) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
            Map<String, Object> map = JsonParser.parseObject(text, bytes.length);
            if (!map.keySet().equals(KEYS)) {
                Object format = map.get("formatVersion");
                if (format instanceof Long l && l != BundleManifest.FORMAT_VERSION) {
                    throw new BundleRefusedException(BundleRefusal.UNSUPPORTED_FORMAT,
                            "bundle manifest format version " + l + " is not supported (this agent reads " + BundleManifest.FORMAT_VERSION + ")");
                }
                throw malformed("manifest keys are " + new TreeMap<>(map).keySet() + ", expected " + new TreeMap<>(toMap(KEYS)).keySet());
            }
            long format = longValue(map, "formatVersion");
            if (format != BundleManifest.FORMAT_VERSION) {
                throw new BundleRefusedException(BundleRefusal.UNSUPPORTED_FORMAT,
                        "bundle manifest format version " + format + " is not supported (this agent reads " + BundleManifest.FORMAT_VERSION + ")");
            }
            BundleManifest m = new BundleManifest(
                    (int) format,
                    string(map, "name"),
                    string(map, "version"),
                    string(map, "board"),
                    longValue(map, "versionNumber"),
                    bool(map, "allowDowngrade"),
                    longValue(map, "slotSize"),
                    string(map, "slotSha256"),
                    Math.toIntExact(longValue(map, "chunkSize")),
                    stringList(map, "chunkSha256"),
                    Instant.parse(string(map, "createdAt")),
                    Instant.parse(string(map, "expiresAt")),
                    string(map, "signer"));
            if (!Arrays.equals(encode(m), bytes)) {
                throw malformed("manifest is not in canonical form (sorted keys, no whitespace)");
            }
            return m;
        } catch (CharacterCodingException e) {
            throw malformed("manifest is not UTF-8");
        } catch (JsonException | IllegalArgumentException | DateTimeParseException | ArithmeticException e) {
            throw malformed(e.getMessage());
        }
    }

    private static Map<String, Object> toMap(Set<String> keys) {
        Map<String, Object> m = new TreeMap<>();
        keys.forEach(k -> m.put(k, null));
        return m;
    }

    private static String string(Map<String, Object> map, String key) {
        if (map.get(key) instanceof String s) {
            return s;
        }
        throw malformed("'" + key + "' must be a string");
    }

    private static long longValue(Map<String, Object> map, String key) {
        if (map.get(key) instanceof Long l) {
            return l;
        }
        throw malformed("'" + key + "' must be an integer");
    }

    private static boolean bool(Map<String, Object> map, String key) {
        if (map.get(key) instanceof Boolean b) {
            return b;
        }
        throw malformed("'" + key + "' must be true or false");
    }

    private static List<String> stringList(Map<String, Object> map, String key) {
        if (!(map.get(key) instanceof List<?> list)) {
            throw malformed("'" + key + "' must be a list");
        }
        List<String> out = new ArrayList<>(list.size());
        for (Object o : list) {
            if (!(o instanceof String s)) {
                throw malformed("'" + key + "' must hold strings");
            }
            out.add(s);
        }
        return out;
    }

    private static BundleRefusedException malformed(String why) {
        return new BundleRefusedException(BundleRefusal.MALFORMED, "bundle manifest: " + why);
    }
}
