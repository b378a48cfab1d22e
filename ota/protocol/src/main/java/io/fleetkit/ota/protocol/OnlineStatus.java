package io.fleetkit.ota.protocol;

import io.fleetkit.json.JsonFields;
import java.time.Instant;
import java.util.Map;

/** The retained {@code online} message: {@code online:true} after connecting, {@code online:false} as the last will. */
public record OnlineStatus(boolean online, Instant ts) {

    public static OnlineStatus online(Instant ts) {
        return new OnlineStatus(true, ts);
    }

    /** The last will: no time, because the broker sends it later, when the device is gone. */
    public static OnlineStatus lastWill() {
        return new OnlineStatus(false, null);
    }

    public byte[] encode() {
        Map<String, Object> m = Messages.start();
        m.put("online", online);
        if (ts != null) {
            m.put("ts", ts.toString());
        }
        return Messages.bytes(m);
    }

    public static OnlineStatus decode(byte[] payload) {
        JsonFields f = MessageJson.parse(payload, "online status", Schema.MAX_JSON_BYTES);
        return new OnlineStatus(f.requiredBoolean("online"), f.optionalInstant("ts"));
    }
}
