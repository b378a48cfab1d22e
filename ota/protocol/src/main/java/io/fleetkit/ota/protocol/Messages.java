package io.fleetkit.ota.protocol;

import io.fleetkit.json.JsonWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Helpers for writing messages: an ordered map that starts with the schema, and its UTF-8 bytes. */
final class Messages {

    private Messages() {
    }

    static Map<String, Object> start() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema", Schema.CURRENT);
        return m;
    }

    static byte[] bytes(Map<String, Object> m) {
        return JsonWriter.write(m).getBytes(StandardCharsets.UTF_8);
    }
}
