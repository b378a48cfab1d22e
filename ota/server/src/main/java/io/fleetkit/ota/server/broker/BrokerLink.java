package io.fleetkit.ota.server.broker;

import io.fleetkit.events.EventSink;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * The server's MQTT connection (Paho), to the embedded broker or an external one. Reconnects on
 * its own and subscribes again each time. Incoming messages are handed to a worker chosen by
 * {@link Handler#executorFor} and acknowledged only after the handler returned (manual acks), so
 * a message is not lost if the server dies while handling it. Publishing is QoS 1 with a bounded
 * number in flight; it blocks while the window is full, so it must not be called from Paho's
 * callback thread.
 */
public final class BrokerLink implements AutoCloseable {

    /** Receives messages and connection news. */
    public interface Handler {
        /** Where to run the handling of a message on {@code topic} (ordering is per executor). */
        ExecutorService executorFor(String topic);

        void onMessage(String topic, byte[] payload) throws Exception;

        /** Called after every successful (re)connect and subscription. */
        void onConnected(boolean reconnect);
    }

    private static final int MAX_IN_FLIGHT = 1000;

    private final MqttAsyncClient client;
    private final MqttConnectOptions options;
    private final List<String> subscriptions;
    private final Handler handler;
    private final EventSink sink;
    private final Semaphore window = new Semaphore(MAX_IN_FLIGHT);

    private BrokerLink(MqttAsyncClient client, MqttConnectOptions options, List<String> subscriptions, Handler handler, EventSink sink) {
        this.client = client;
        this.options = options;
        this.subscriptions = subscriptions;
        this.handler = handler;
        this.sink = sink;
    }

    /**
     * Connects to {@code url} ({@code tcp://} or {@code ssl://}), waiting up to 30 s for the first connection.
     * {@code persistentSession}: an external broker keeps the QoS 1 messages sent while the server was
     * away; the embedded broker lives and dies with the server, so there a clean session is used, and
     * Paho then never resends with DUP=1, which stops a session loop of Moquette 0.17 (moquette #750).
     */
    public static BrokerLink connect(String url, String clientId, SocketFactory socketFactory, boolean persistentSession,
                                     List<String> subscriptions, Handler handler, EventSink sink) throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(!persistentSession);
        o.setAutomaticReconnect(true);
        o.setMaxReconnectDelay(5_000);
        o.setMaxInflight(MAX_IN_FLIGHT);
        o.setKeepAliveInterval(30);
        o.setConnectionTimeout(30);
        // TLS factories are SSLSocketFactory: Paho then does the handshake itself; keep those as they are.
        o.setSocketFactory(socketFactory != null ? socketFactory : NoDelaySockets.plain());
        BrokerLink link = new BrokerLink(client, o, subscriptions, handler, sink);
        client.setManualAcks(true);
        client.setCallback(link.callback());
        client.connect(o).waitForCompletion(30_000);
        return link;
    }

    private MqttCallbackExtended callback() {
        return new MqttCallbackExtended() {
            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
                // Subscribing waits for the broker; do it off Paho's callback thread.
                Thread t = new Thread(() -> subscribe(reconnect), "fleet-mqtt-subscribe");
                t.setDaemon(true);
                t.start();
            }

            @Override
            public void connectionLost(Throwable cause) {
                sink.warn("mqtt", "lost the broker connection (" + cause + "); reconnecting");
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                int id = message.getId();
                int qos = message.getQos();
                byte[] payload = message.getPayload();
                handler.executorFor(topic).execute(() -> {
                    try {
                        handler.onMessage(topic, payload);
                    } catch (Exception e) {
                        sink.warn("mqtt", "handling " + topic + " failed: " + e);
                    } finally {
                        ack(id, qos);
                    }
                });
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
                // the publish listener releases the window
            }
        };
    }

    private void subscribe(boolean reconnect) {
        try {
            String[] topics = subscriptions.toArray(String[]::new);
            int[] qos = new int[topics.length];
            java.util.Arrays.fill(qos, 1);
            client.subscribe(topics, qos).waitForCompletion(30_000);
            sink.info("mqtt", (reconnect ? "reconnected to " : "connected to ") + client.getServerURI());
            handler.onConnected(reconnect);
        } catch (MqttException e) {
            sink.warn("mqtt", "subscribing failed: " + e);
        }
    }

    private void ack(int id, int qos) {
        try {
            client.messageArrivedComplete(id, qos);
        } catch (MqttException | RuntimeException e) {
            // the connection went away (Paho may throw unchecked then); the broker sends the message again
        }
    }

    public boolean isConnected() {
        return client.isConnected();
    }

    /**
     * Publishes with QoS 1; waits for room in the window. Returns a token to wait on, or throws when
     * there is no connection (the caller retries later or drops, as its protocol says).
     */
    public IMqttToken publish(String topic, byte[] payload, boolean retained) throws MqttException, InterruptedException {
        if (!window.tryAcquire(30, TimeUnit.SECONDS)) {
            throw new MqttException(MqttException.REASON_CODE_MAX_INFLIGHT);
        }
        try {
            MqttMessage m = new MqttMessage(payload);
            m.setQos(1);
            m.setRetained(retained);
            return client.publish(topic, m, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    window.release();
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    window.release();
                }
            });
        } catch (MqttException | RuntimeException e) {
            window.release();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect(2_000).waitForCompletion(3_000);
            }
        } catch (MqttException ignored) {
            // closing anyway
        }
        try {
            client.close(true);
        } catch (MqttException ignored) {
            // closing anyway
        }
    }
}
