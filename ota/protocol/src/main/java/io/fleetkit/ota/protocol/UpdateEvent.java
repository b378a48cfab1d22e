package io.fleetkit.ota.protocol;

import io.fleetkit.json.JsonFields;
import java.time.Instant;
import java.util.Map;

/**
 * One step of a device's update, on its {@code events} topic. {@code seq} grows per device and
 * survives reboots; {@code epoch} is the device's count of agent starts ({@link ReportOrder#epoch()}),
 * new when its data partition was wiped and its seq starts from 1 again. The server drops repeats by
 * (device, epoch, seq); an event without an epoch (an older agent) counts as epoch "". Refusals carry
 * the bundle refusal code as {@code reason}.
 */
public record UpdateEvent(String id, long seq, UpdateState state, String target, String reason, String message, Instant ts,
                          String epoch) {

    public UpdateEvent {
        DeviceIds.require(id);
        if (seq < 0 || state == null) {
            throw new IllegalArgumentException("an event needs a seq >= 0 and a state");
        }
        if (epoch != null && !ReportOrder.EPOCH.matcher(epoch).matches()) {
            throw ProtocolException.malformed("update event", "epoch '" + Text.shorten(epoch) + "' is not 16 hex digits");
        }
    }

    /** An event not yet sent: the agent adds its epoch when it sends it. */
    public UpdateEvent(String id, long seq, UpdateState state, String target, String reason, String message, Instant ts) {
        this(id, seq, state, target, reason, message, ts, null);
    }

    /** This event as sent under {@code newEpoch} (null: none). */
    public UpdateEvent withEpoch(String newEpoch) {
        return new UpdateEvent(id, seq, state, target, reason, message, ts, newEpoch);
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
        if (epoch != null) {
            m.put("epoch", epoch);
        }
        return Messages.bytes(m);
    }

    public static UpdateEvent decode(byte[] payload) {
        JsonFields f = MessageJson.parse(payload, "update event", Schema.MAX_JSON_BYTES);
        String id = f.requiredString("id", 64);
        if (!DeviceIds.isValid(id)) {
            throw new ProtocolException("protocol.bad-device-id", "update event names device '" + Text.shorten(id) + "', not a valid device id");
        }
        return new UpdateEvent(id, f.requiredNonNegative("seq"), UpdateState.parse(f.requiredString("state", 32), "update event"),
                MessageJson.optionalName(f, "target"), f.optionalString("reason", Schema.MAX_NAME), f.optionalString("message", Schema.MAX_TEXT),
                f.optionalInstant("ts"), f.optionalString("epoch", 16));
    }
}
