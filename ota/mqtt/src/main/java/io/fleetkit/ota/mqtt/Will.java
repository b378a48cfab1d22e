package io.fleetkit.ota.mqtt;

/** The last will: what the broker publishes for the client when its connection ends without a DISCONNECT. */
public record Will(String topic, byte[] payload, int qos, boolean retain) {

    public Will {
        if (topic == null || topic.isEmpty()) {
            throw new IllegalArgumentException("will topic is empty");
        }
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("will QoS " + qos + " is not 0, 1 or 2");
        }
        payload = payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }
}
