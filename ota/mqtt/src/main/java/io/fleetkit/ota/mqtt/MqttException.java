package io.fleetkit.ota.mqtt;

import java.io.IOException;

/** An MQTT-level failure: a protocol violation, a refused subscription, or a connection that ended under a pending request. */
public class MqttException extends IOException {

    public MqttException(String message) {
        super(message);
    }

    public MqttException(String message, Throwable cause) {
        super(message, cause);
    }
}
