package io.fleetkit.ota.protocol;

import java.time.Instant;
import java.util.Map;

/**
 * One step of a device's update, on its {@code events} topic. {@code seq} grows per device and
 * survives reboots, so the server drops repeats by (device, seq). Refusals carry the bundle
 * refusal code as {@code reason}.
 */
public record UpdateEvent(String id, long seq, UpdateState state, String target, String reason, String message, Instant ts) {

    public UpdateEvent {
        DeviceIds.require(id);
        if (seq < 0 || state == null) {
            throw new IllegalArgumentException("an event needs a seq >= 0 and a state");
        }
    }

    public byte[] encode() {
        Map<String, Object> m = Messages.start();
        m.put("id", id);
        m.put("seq", seq);
        m.put("state", state.name());
        m.put("target", target);
        m.put("reason", reason);
        m.put("message", message);
        m.put("ts", ts == null ? null : ts.toString());
        return Messages.bytes(m);
    }

    public static UpdateEvent decode(byte[] payload) {
        JsonFields f = JsonFields.parse(payload, "update event", Schema.MAX_JSON_BYTES);
        String id = f.requiredString("id", 64);
        if (!DeviceIds.isValid(id)) {
            throw new ProtocolException("protocol.bad-device-id", "update event names device '" + Text.shorten(id) + "', not a valid device id");
        }
        return new UpdateEvent(id, f.requiredNonNegative("seq"), UpdateState.parse(f.requiredString("state", 32), "update event"),
                f.optionalName("target"), f.optionalString("reason", Schema.MAX_NAME), f.optionalString("message", Schema.MAX_TEXT),
                f.optionalInstant("ts"));
    }
}
