package io.fleetkit.ota.agent;

import io.fleetkit.events.EventSink;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The agent's MQTT connection (Paho): connects (retrying the first connection, which Paho does
 * not), subscribes after every (re)connect, publishes QoS 1. Whatever arrives — messages, a
 * completed connect, an acknowledged publish — is handed to the agent's single thread through
 * {@code loop}, so the rest of the agent never sees Paho's threads.
 */
final class MqttLink {

    /** What the link reports, always on the agent's thread. */
    interface Listener {
        void connected() throws Exception;

        void message(String topic, byte[] payload) throws Exception;
    }

    private interface Work {
        void run() throws Exception;
    }

    private static final int RETRY_FIRST_CONNECT_SECONDS = 5;

    private final String brokerUrl;
    private final String clientId;
    private final MqttConnectOptions options;
    private final List<String> subscriptions;
    private final Clock clock;
    private final EventSink sink;
    private MqttAsyncClient client;
    private volatile boolean connecting;
    private volatile boolean everConnected;
    private Instant lastConnectAttempt;

    MqttLink(String brokerUrl, String clientId, MqttConnectOptions options, List<String> subscriptions, Clock clock, EventSink sink) {
        this.brokerUrl = brokerUrl;
        this.clientId = clientId;
        this.options = options;
        this.subscriptions = List.copyOf(subscriptions);
        this.clock = clock;
        this.sink = sink;
    }

    /** Creates the client and starts the first connection attempt; returns at once. */
    void start(Listener listener, Executor loop) throws MqttException {
        client = new MqttAsyncClient(brokerUrl, clientId, new MemoryPersistence());
        client.setCallback(new MqttCallbackExtended() {
            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
                loop.execute(() -> {
                    subscribe();
                    run(listener::connected);
                });
            }

            @Override
            public void connectionLost(Throwable cause) {
                sink.info("agent", "connection lost: " + (cause == null ? "" : cause.getMessage()));
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                byte[] payload = message.getPayload();
                loop.execute(() -> run(() -> listener.message(topic, payload)));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
                // acknowledgements that matter are handled per token
            }
        });
        connect();
    }

    private static void run(Work w) {
        try {
            w.run();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Retries the first connection every few seconds until one succeeded (Paho reconnects on its own after that). */
    void maintain() {
        if (client != null && !everConnected && !connecting && !connected()
                && clock.instant().isAfter(lastConnectAttempt.plusSeconds(RETRY_FIRST_CONNECT_SECONDS))) {
            connect();
        }
    }

    private void connect() {
        connecting = true;
        lastConnectAttempt = clock.instant();
        try {
            client.connect(options, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    connecting = false;
                    everConnected = true;
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    connecting = false;
                    sink.info("agent", "cannot reach " + brokerUrl + ": " + e.getMessage());
                }
            });
        } catch (MqttException e) {
            connecting = false;
        }
    }

    private void subscribe() {
        try {
            int[] qos = new int[subscriptions.size()];
            java.util.Arrays.fill(qos, 1);
            client.subscribe(subscriptions.toArray(String[]::new), qos);
        } catch (MqttException e) {
            sink.warn("agent", "subscribe failed: " + e.getMessage());
        }
    }

    boolean connected() {
        return client != null && client.isConnected();
    }

    /** QoS 1, fire and forget: a failure is logged, the caller's protocol resends what matters. */
    void publish(String topic, byte[] payload, boolean retained) {
        try {
            client.publish(topic, payload, 1, retained);
        } catch (MqttException | RuntimeException e) {
            sink.debug("agent", "publish to " + topic + " failed: " + e.getMessage());
        }
    }

    /** QoS 1; {@code acked} or {@code failed} then runs on the agent's thread. Throws when it cannot even be queued. */
    void publish(String topic, byte[] payload, Runnable acked, Runnable failed, Executor loop) throws MqttException {
        MqttMessage m = new MqttMessage(payload);
        m.setQos(1);
        client.publish(topic, m, null, new IMqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                loop.execute(acked);
            }

            @Override
            public void onFailure(IMqttToken token, Throwable e) {
                loop.execute(failed);
            }
        });
    }

    /** QoS 1, waiting up to {@code millis} for the broker's acknowledgement. */
    void publishAndWait(String topic, byte[] payload, long millis) throws MqttException {
        MqttMessage m = new MqttMessage(payload);
        m.setQos(1);
        client.publish(topic, m).waitForCompletion(millis);
    }

    /** Drops the connection like a power cut: no DISCONNECT, so the broker publishes the last will. */
    void cut() {
        if (client == null) {
            return;
        }
        try {
            client.disconnectForcibly(0, 0, false);
        } catch (MqttException ignored) {
            // already gone
        }
        try {
            client.close(true);
        } catch (MqttException ignored) {
            // already closed
        }
    }
}
