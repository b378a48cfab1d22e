package io.fleetkit.ota.mqtt;

import java.io.IOException;

/**
 * What a {@link MqttConnection} reports. {@link #message} runs on the connection's reader thread
 * and should hand the message on rather than work on it: nothing else is read meanwhile, and a
 * QoS 1 message is acknowledged only after it returns.
 */
public interface MqttListener {

    /** A PUBLISH from the broker; {@code retained} is set for a retained message sent on subscribe. */
    void message(String topic, byte[] payload, boolean retained);

    /**
     * The same with the acknowledgement in the listener's hands: {@code acknowledge} sends the PUBACK of a
     * QoS 1 message (nothing for QoS 0), once, from any thread, and may be called after this returns, when
     * the message has been handled elsewhere. Until then the broker keeps the message (and sends it again
     * after a reconnect on a persistent session). By default the message is handled by {@link #message(String,
     * byte[], boolean)} and acknowledged when that returns.
     */
    default void message(String topic, byte[] payload, boolean retained, Runnable acknowledge) {
        message(topic, payload, retained);
        acknowledge.run();
    }

    /**
     * The connection ended without {@link MqttConnection#close} or {@link MqttConnection#cut}:
     * read error, keep-alive timeout, protocol error, or the broker closing it. Called once, on
     * whichever thread noticed. Not called when the first connect fails (that fails
     * {@link MqttConnection#connected()} instead).
     */
    void connectionLost(IOException cause);
}
