package io.fleetkit.ota.bundle;

import io.fleetkit.json.JsonException;
import io.fleetkit.json.JsonFields;
import io.fleetkit.json.JsonParser;
import io.fleetkit.json.JsonWriter;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Arrays;
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
            JsonFields f = JsonFields.of("bundle manifest", map, (what, detail) -> malformed(detail));
            long format = f.requiredLong("formatVersion");
            if (format != BundleManifest.FORMAT_VERSION) {
                throw new BundleRefusedException(BundleRefusal.UNSUPPORTED_FORMAT,
                        "bundle manifest format version " + format + " is not supported (this agent reads " + BundleManifest.FORMAT_VERSION + ")");
            }
            BundleManifest m = new BundleManifest(
                    (int) format,
                    f.requiredString("name"),
                    f.requiredString("version"),
                    f.requiredString("board"),
                    f.requiredLong("versionNumber"),
                    f.requiredBoolean("allowDowngrade"),
                    f.requiredLong("slotSize"),
                    f.requiredString("slotSha256"),
                    f.requiredInt("chunkSize"),
                    f.requiredStrings("chunkSha256"),
                    f.requiredInstant("createdAt"),
                    f.requiredInstant("expiresAt"),
                    f.requiredString("signer"));
            if (!Arrays.equals(encode(m), bytes)) {
                throw malformed("manifest is not in canonical form (sorted keys, no whitespace)");
            }
            return m;
        } catch (CharacterCodingException e) {
            throw malformed("manifest is not UTF-8");
        } catch (JsonException | IllegalArgumentException e) {
            throw malformed(e.getMessage());
        }
    }

    private static Map<String, Object> toMap(Set<String> keys) {
        Map<String, Object> m = new TreeMap<>();
        keys.forEach(k -> m.put(k, null));
        return m;
    }

    private static BundleRefusedException malformed(String why) {
        return new BundleRefusedException(BundleRefusal.MALFORMED, "bundle manifest: " + why);
    }
}
