package io.fleetkit.ota.protocol;

import io.fleetkit.json.JsonFields;
import java.util.Map;

/**
 * The server's word, on a device's {@code events/ack} topic, that the device's update event {@code seq}
 * is applied: committed to the server's database (or found there already, a repeat). Only then does
 * the agent drop the event from its outbox; the broker's PUBACK says only that the broker has it.
 */
public record EventAck(long seq) {

    public EventAck {
        if (seq < 0) {
            throw new IllegalArgumentException("an acknowledgement needs a seq >= 0");
        }
    }

    public byte[] encode() {
        Map<String, Object> m = Messages.start();
        m.put("seq", seq);
        return Messages.bytes(m);
    }

    public static EventAck decode(byte[] payload) {
        JsonFields f = MessageJson.parse(payload, "event acknowledgement", Schema.MAX_JSON_BYTES);
        return new EventAck(f.requiredNonNegative("seq"));
    }
}
