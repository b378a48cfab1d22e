package io.fleetkit.ota.protocol;

import io.fleetkit.events.FleetkitException;

/** An MQTT payload or topic that breaks the protocol (docs/protocol.md); receivers drop it and log the message. */
public class ProtocolException extends FleetkitException {

    public ProtocolException(String code, String message) {
        super(code, message, "Check that device and server speak Fleetkit OTA protocol schema " + Schema.CURRENT + " (docs/protocol.md).");
    }

    static ProtocolException malformed(String what, String why) {
        return new ProtocolException("protocol.malformed", what + ": " + why);
    }
}
