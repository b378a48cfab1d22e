package io.fleetkit.ota.mqtt;

import java.time.Duration;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;

/**
 * How to connect. Sessions are always clean: the client keeps no state across connections (no
 * resend of unacknowledged publishes, no stored subscriptions), so the owner subscribes again after
 * every connect and resends what its protocol needs.
 *
 * @param keepAliveSeconds 0 turns keep-alive off (no pings, no read timeout)
 * @param will             null for none
 * @param username         null for none
 * @param password         null for none
 * @param socketFactory    null for the JDK default of the address's scheme
 */
public record MqttOptions(BrokerAddress broker, String clientId, int keepAliveSeconds, Will will, String username, byte[] password,
                          SocketFactory socketFactory, Duration connectTimeout) {

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
    }

    /** Keep-alive 30 s, connect timeout 10 s, no will, no credentials, default socket factory. */
    public static MqttOptions of(String brokerUrl, String clientId) {
        return new MqttOptions(BrokerAddress.parse(brokerUrl), clientId, 30, null, null, null, null, Duration.ofSeconds(10));
    }

    public MqttOptions withKeepAlive(int seconds) {
        return new MqttOptions(broker, clientId, seconds, will, username, password, socketFactory, connectTimeout);
    }

    public MqttOptions withWill(Will w) {
        return new MqttOptions(broker, clientId, keepAliveSeconds, w, username, password, socketFactory, connectTimeout);
    }

    public MqttOptions withCredentials(String user, byte[] pass) {
        return new MqttOptions(broker, clientId, keepAliveSeconds, will, user, pass, socketFactory, connectTimeout);
    }

    public MqttOptions withSocketFactory(SocketFactory factory) {
        return new MqttOptions(broker, clientId, keepAliveSeconds, will, username, password, factory, connectTimeout);
    }

    public MqttOptions withConnectTimeout(Duration timeout) {
        return new MqttOptions(broker, clientId, keepAliveSeconds, will, username, password, socketFactory, timeout);
    }

    /** The factory to open the socket with: the one given, else the JDK's plain or TLS default. */
    SocketFactory effectiveSocketFactory() {
        if (socketFactory != null) {
            return socketFactory;
        }
        return broker.tls() ? SSLSocketFactory.getDefault() : SocketFactory.getDefault();
    }
}
