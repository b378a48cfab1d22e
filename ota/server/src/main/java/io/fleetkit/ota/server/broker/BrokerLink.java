package io.fleetkit.ota.server.broker;

import io.fleetkit.events.EventSink;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * The server's MQTT connection (Paho), to the embedded broker or an external one. Incoming
 * messages are handed to a worker chosen by {@link Handler#executorFor} and acknowledged only after
 * the handler returned (manual acks), so a message is not lost if the server dies while handling
 * it. Publishing is QoS 1 with a bounded number of messages and bytes in flight
 * ({@link PublishWindow}); it blocks while the window is full, so it must not be called from
 * Paho's callback thread.
 *
 * <p>Reconnecting is done here, not by Paho: after a loss a fresh client connects (0.5 s doubling
 * to 5 s between attempts) and subscribes again. Paho 1.2.5's own automatic reconnect reuses the
 * client's internals and, when the broker restarts while the old sender thread is still stopping,
 * waits forever for a sender that never starts (CommsSender.start; eclipse-paho/paho.mqtt.java
 * #947/#953) — the server then never hears a device again. Every wait here has a bound.
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
    /** Payload bytes published and not yet acknowledged by the broker: 64 chunks of 1 MiB. */
    private static final long MAX_BYTES_IN_FLIGHT = 64L << 20;
    private static final long WAIT_MILLIS = 30_000;
    private static final long FIRST_RETRY_MILLIS = 500;
    private static final long MAX_RETRY_MILLIS = 5_000;

    /** One Paho client and its publish window; a lost session is discarded with whatever it still held. */
    private record Session(MqttAsyncClient client, PublishWindow window) {
    }

    private final String url;
    private final String clientId;
    private final MqttConnectOptions options;
    private final String[] topics;
    private final int[] qos;
    private final Handler handler;
    private final EventSink sink;
    private final ExecutorService reconnects = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fleet-mqtt-connect");
        t.setDaemon(true);
        return t;
    });
    private volatile Session current;
    private volatile boolean closed;

    private BrokerLink(String url, String clientId, MqttConnectOptions options, List<String> subscriptions, Handler handler,
                       EventSink sink) {
        this.url = url;
        this.clientId = clientId;
        this.options = options;
        this.topics = subscriptions.toArray(String[]::new);
        this.qos = new int[topics.length];
        java.util.Arrays.fill(qos, 1);
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
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(!persistentSession);
        o.setAutomaticReconnect(false); // see the class comment
        o.setMaxInflight(MAX_IN_FLIGHT);
        o.setKeepAliveInterval(30);
        o.setConnectionTimeout(30);
        // TLS factories are SSLSocketFactory: Paho then does the handshake itself; keep those as they are.
        o.setSocketFactory(socketFactory != null ? socketFactory : NoDelaySockets.plain());
        BrokerLink link = new BrokerLink(url, clientId, o, subscriptions, handler, sink);
        link.openRetrying(false, WAIT_MILLIS);
        return link;
    }

    /**
     * {@link #open}, again after a failure (0.5 s doubling to 5 s) until it succeeds, the link is
     * closed, or {@code forMillis} have passed (negative: no limit); then the last failure is thrown.
     * The first connect retries like any reconnect: Moquette 0.17 drops a connection whose SUBSCRIBE
     * arrives before its own CONNACK bookkeeping is done (docs/protocol.md).
     */
    private void openRetrying(boolean reconnect, long forMillis) throws MqttException {
        long start = System.nanoTime();
        long delay = FIRST_RETRY_MILLIS;
        while (true) {
            try {
                open(reconnect);
                return;
            } catch (MqttException | RuntimeException e) {
                long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
                if (closed || (forMillis >= 0 && elapsedMillis + delay > forMillis)) {
                    throw e;
                }
                sink.warn("mqtt", "cannot reach " + url + " (" + e.getMessage() + "); trying again in " + delay + " ms");
            }
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MqttException(e);
            }
            delay = Math.min(MAX_RETRY_MILLIS, delay * 2);
        }
    }

    /** Connects a fresh client and subscribes; on failure the client is discarded and the failure thrown. */
    private void open(boolean reconnect) throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
        Session s = new Session(client, new PublishWindow(MAX_IN_FLIGHT, MAX_BYTES_IN_FLIGHT));
        client.setManualAcks(true);
        client.setCallback(callback(s));
        current = s; // before connecting: a loss reported meanwhile then finds it current and is acted on
        try {
            client.connect(options).waitForCompletion(WAIT_MILLIS);
            client.subscribe(topics, qos).waitForCompletion(WAIT_MILLIS);
        } catch (MqttException | RuntimeException e) {
            discard(client);
            throw e;
        }
        if (closed) {
            discard(client); // closed while connecting: Paho's threads would keep the JVM alive
            return;
        }
        sink.info("mqtt", (reconnect ? "reconnected to " : "connected to ") + url);
        handler.onConnected(reconnect);
    }

    private MqttCallback callback(Session s) {
        return new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                if (!closed && s == current) {
                    sink.warn("mqtt", "lost the broker connection (" + cause + "); reconnecting");
                    submitQuietly(() -> reconnect(s));
                }
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
                        ack(s.client(), id, qos);
                    }
                });
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
                // the publish listener releases the window
            }
        };
    }

    /** On the connect thread: replaces the lost session {@code lost} until a new one is connected or the link closes. */
    private void reconnect(Session lost) {
        if (closed || current != lost) {
            return; // already replaced
        }
        discard(lost.client());
        try {
            openRetrying(true, -1);
        } catch (MqttException | RuntimeException e) {
            // only when closing
        }
    }

    private void submitQuietly(Runnable r) {
        try {
            reconnects.execute(r);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    /** Drops a client without waiting for a broker that may be gone. */
    private static void discard(MqttAsyncClient client) {
        try {
            client.disconnectForcibly(0, 1_000, false);
        } catch (MqttException | RuntimeException ignored) {
            // it is gone either way
        }
        try {
            client.close(true);
        } catch (MqttException | RuntimeException ignored) {
            // it is gone either way
        }
    }

    private static void ack(MqttAsyncClient client, int id, int qos) {
        try {
            client.messageArrivedComplete(id, qos);
        } catch (MqttException | RuntimeException e) {
            // the connection went away (Paho may throw unchecked then); the broker sends the message again
        }
    }

    public boolean isConnected() {
        return current.client().isConnected();
    }

    /**
     * Publishes with QoS 1; waits for room in the window. Returns a token to wait on, or throws when
     * there is no connection (the caller retries later or drops, as its protocol says).
     */
    public IMqttToken publish(String topic, byte[] payload, boolean retained) throws MqttException, InterruptedException {
        Session s = current;
        PublishWindow.Room room = s.window().acquire(payload.length, WAIT_MILLIS, () -> s == current);
        if (room == null) {
            throw new MqttException(MqttException.REASON_CODE_MAX_INFLIGHT);
        }
        try {
            MqttMessage m = new MqttMessage(payload);
            m.setQos(1);
            m.setRetained(retained);
            return s.client().publish(topic, m, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    room.release();
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    room.release();
                }
            });
        } catch (MqttException | RuntimeException e) {
            room.release();
            throw e;
        }
    }

    @Override
    public void close() {
        closed = true;
        reconnects.shutdownNow();
        try {
            // a connect under way ends within its bounded waits; then current is final
            reconnects.awaitTermination(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        MqttAsyncClient client = current.client();
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
