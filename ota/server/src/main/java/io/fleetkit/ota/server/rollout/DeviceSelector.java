package io.fleetkit.ota.server.rollout;

import io.fleetkit.events.UsageException;
import io.fleetkit.ota.server.db.DeviceRecord;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which devices a rollout takes: {@code board=..,version=..,tag=..} (all must match; empty
 * selects every device). {@code group=NAME} is the same as {@code tag=NAME}.
 */
public record DeviceSelector(String board, String version, String tag) {

    public static final DeviceSelector ALL = new DeviceSelector(null, null, null);

    public static DeviceSelector parse(String text) {
        if (text == null || text.isBlank()) {
            return ALL;
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            int eq = part.indexOf('=');
            String key = eq < 0 ? "" : part.substring(0, eq).trim();
            String value = eq < 0 ? "" : part.substring(eq + 1).trim();
            if (key.equals("group")) {
                key = "tag";
            }
            if (!(key.equals("board") || key.equals("version") || key.equals("tag")) || value.isEmpty() || m.containsKey(key)) {
                throw new UsageException("rollout.bad-selector", "'" + part + "' in '" + text + "' is not one of board=, version=, tag= (each at most once)",
                        "Use e.g. --select board=rpi4,tag=lab.");
            }
            m.put(key, value);
        }
        return new DeviceSelector(m.get("board"), m.get("version"), m.get("tag"));
    }

    public DeviceSelector withTag(String group) {
        return new DeviceSelector(board, version, group);
    }

    public boolean matches(DeviceRecord d) {
        return (board == null || board.equals(d.board()))
                && (version == null || version.equals(d.version()))
                && (tag == null || d.tags().contains(tag));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (board != null) {
            sb.append("board=").append(board);
        }
        if (version != null) {
            sb.append(sb.length() > 0 ? "," : "").append("version=").append(version);
        }
        if (tag != null) {
            sb.append(sb.length() > 0 ? "," : "").append("tag=").append(tag);
        }
        return sb.toString();
    }
}
