package io.fleetkit.ota.mqtt;

import java.time.Duration;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;

/**
 * How to connect. The client itself keeps no state across connections (no resend of unacknowledged
 * publishes, no stored subscriptions), so the owner subscribes again after every connect and resends
 * what its protocol needs. By default the session is clean; with {@code cleanSession} false the broker
 * keeps the client's subscriptions and the QoS 1 messages sent to it while it was away, and sends
 * again what it had not acknowledged (the fleet server's link does this, so nothing a device sends
 * while the server restarts is lost).
 *
 * @param keepAliveSeconds 0 turns keep-alive off (no pings, no read timeout)
 * @param will             null for none
 * @param username         null for none
 * @param password         null for none
 * @param socketFactory    null for the JDK default of the address's scheme
 * @param maxIncomingMessageBytes the largest message (PUBLISH payload) accepted from the broker: a larger one ends the
 *                         connection before anything is allocated for it (the size a packet announces is untrusted)
 * @param cleanSession     false for a persistent session (MQTT 3.1.1 section 3.1.2.4)
 * @param maxUnacknowledged at most this many received QoS 1 messages handed to the listener and not yet
 *                         acknowledged ({@link MqttListener#message(String, byte[], boolean, Runnable)}); the reader
 *                         waits for an acknowledgement before it hands on another, so it never buffers without bound
 */
public record MqttOptions(BrokerAddress broker, String clientId, int keepAliveSeconds, Will will, String username, byte[] password,
                          SocketFactory socketFactory, Duration connectTimeout, int maxIncomingMessageBytes, boolean cleanSession,
                          int maxUnacknowledged) {

    /**
     * The default bound on incoming messages: room for the largest message of the OTA protocol, a chunk frame of
     * 16 MiB of data and its header of at most 4 KiB ({@code ChunkFrame.MAX_FRAME}, which the agent sets exactly).
     * MQTT itself allows 256 MiB.
     */
    public static final int DEFAULT_MAX_INCOMING_MESSAGE_BYTES = (16 << 20) + (64 << 10);
    /** The default bound on received QoS 1 messages awaiting their acknowledgement. */
    public static final int DEFAULT_MAX_UNACKNOWLEDGED = 1000;

    public MqttOptions {
        if (clientId == null || clientId.isEmpty()) {
            throw new IllegalArgumentException("client id is empty (a clean session could use one, but the agent never should)");
        }
        if (keepAliveSeconds < 0 || keepAliveSeconds > 65535) {
            throw new IllegalArgumentException("keep-alive " + keepAliveSeconds + " s is out of range 0..65535");
        }
        if (password != null && username == null) {
            throw new IllegalArgumentException("MQTT 3.1.1 sends a password only with a user name");
        }
        if (maxUnacknowledged < 1) {
            throw new IllegalArgumentException("at least one received message must be allowed to await its acknowledgement");
        }
        if (maxIncomingMessageBytes < 0) {
            throw new IllegalArgumentException("the largest incoming message cannot be " + maxIncomingMessageBytes + " bytes");
        }
    }

    /**
     * Keep-alive 30 s, connect timeout 10 s, no will, no credentials, default socket factory, incoming messages
     * up to {@link #DEFAULT_MAX_INCOMING_MESSAGE_BYTES}.
     */
    public static MqttOptions of(String brokerUrl, String clientId) {
        return new MqttOptions(BrokerAddress.parse(brokerUrl), clientId, 30, null, null, null, null, Duration.ofSeconds(10),
                DEFAULT_MAX_INCOMING_MESSAGE_BYTES, true, DEFAULT_MAX_UNACKNOWLEDGED);
    }

    public MqttOptions withKeepAlive(int seconds) {
        return new MqttOptions(broker, clientId, seconds, will, username, password, socketFactory, connectTimeout, maxIncomingMessageBytes, cleanSession, maxUnacknowledged);
    }

    public MqttOptions withWill(Will w) {
        return new MqttOptions(broker, clientId, keepAliveSeconds, w, username, password, socketFactory, connectTimeout, maxIncomingMessageBytes, cleanSession, maxUnacknowledged);
    }

    public MqttOptions withCredentials(String user, byte[] pass) {
        return new MqttOptions(broker, clientId, keepAliveSeconds, will, user, pass, socketFactory, connectTimeout, maxIncomingMessageBytes, cleanSession, maxUnacknowledged);
    }

    public MqttOptions withSocketFactory(SocketFactory factory) {
        return new MqttOptions(broker, clientId, keepAliveSeconds, will, username, password, factory, connectTimeout, maxIncomingMessageBytes, cleanSession, maxUnacknowledged);
    }

    public MqttOptions withConnectTimeout(Duration timeout) {
        return new MqttOptions(broker, clientId, keepAliveSeconds, will, username, password, socketFactory, timeout, maxIncomingMessageBytes, cleanSession, maxUnacknowledged);
    }

    /** Incoming messages (PUBLISH payloads) of at most {@code bytes}; a larger one ends the connection with an {@link MqttException}. */
    public MqttOptions withMaxIncomingMessageBytes(int bytes) {
        return new MqttOptions(broker, clientId, keepAliveSeconds, will, username, password, socketFactory, connectTimeout, bytes, cleanSession, maxUnacknowledged);
    }

    /** A persistent session ({@code clean} false) or a clean one. */
    public MqttOptions withCleanSession(boolean clean) {
        return new MqttOptions(broker, clientId, keepAliveSeconds, will, username, password, socketFactory, connectTimeout, maxIncomingMessageBytes,
                clean, maxUnacknowledged);
    }

    /** At most {@code n} received QoS 1 messages awaiting their acknowledgement at once. */
    public MqttOptions withMaxUnacknowledged(int n) {
        return new MqttOptions(broker, clientId, keepAliveSeconds, will, username, password, socketFactory, connectTimeout, maxIncomingMessageBytes,
                cleanSession, n);
    }

    /** The factory to open the socket with: the one given, else the JDK's plain or TLS default. */
    SocketFactory effectiveSocketFactory() {
        if (socketFactory != null) {
            return socketFactory;
        }
        return broker.tls() ? SSLSocketFactory.getDefault() : SocketFactory.getDefault();
    }
}
