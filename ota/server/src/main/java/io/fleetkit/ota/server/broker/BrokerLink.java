package io.fleetkit.ota.server.broker;

import io.fleetkit.events.EventSink;
import io.fleetkit.ota.mqtt.MqttConnection;
import io.fleetkit.ota.mqtt.MqttException;
import io.fleetkit.ota.mqtt.MqttListener;
import io.fleetkit.ota.mqtt.MqttOptions;
import io.fleetkit.ota.protocol.Schema;
import io.fleetkit.ota.server.metrics.ServerCounters;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The server's MQTT connection (ota-mqtt's {@link MqttConnection}), to the embedded broker or an
 * external one. Incoming messages are handed to a worker chosen by {@link Handler#executorFor} and
 * acknowledged only after the handler returned, so a message is not lost if the server dies while
 * handling it; the connection hands out at most {@link MqttOptions#maxUnacknowledged} at a time, so the
 * reader never buffers without bound. A message larger than any device message may be is acknowledged and
 * dropped at once. Publishing is QoS 1 with a bounded number of messages and bytes in flight
 * ({@link PublishWindow}); it blocks while the window is full, so it must not be called from the reader.
 *
 * <p>Reconnecting is done here: after a loss a new connection is made (0.5 s doubling to 5 s between
 * attempts) and subscribes again. Every wait here has a bound, and close ends every thread the link
 * started (Paho 1.2.5, used before, could leave a connect thread spinning for good).
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

    /** One connection and its publish window; a lost session is discarded with whatever it still held. */
    private record Session(MqttConnection connection, PublishWindow window) {
    }

    private final MqttOptions options;
    private final List<String> topics;
    private final Handler handler;
    private final EventSink sink;
    private final ServerCounters counters;
    private final ExecutorService reconnects = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fleet-mqtt-connect");
        t.setDaemon(true);
        return t;
    });
    private volatile Session current;
    private volatile boolean closed;

    private BrokerLink(MqttOptions options, List<String> subscriptions, Handler handler, ServerCounters counters, EventSink sink) {
        this.options = options;
        this.counters = counters;
        this.topics = List.copyOf(subscriptions);
        this.handler = handler;
        this.sink = sink;
    }

    /**
     * Connects with {@code options} (its broker, client id, credentials or TLS, clean or persistent session),
     * waiting up to 30 s for the first connection, and subscribes to {@code subscriptions} at QoS 1. Messages received
     * and publishes acknowledged are counted in {@code counters}.
     */
    public static BrokerLink connect(MqttOptions options, List<String> subscriptions, Handler handler, ServerCounters counters, EventSink sink)
            throws IOException {
        BrokerLink link = new BrokerLink(options.withMaxUnacknowledged(MAX_IN_FLIGHT).withKeepAlive(30)
                .withConnectTimeout(java.time.Duration.ofSeconds(30)), subscriptions, handler, counters, sink);
        link.openRetrying(false, WAIT_MILLIS);
        return link;
    }

    /**
     * {@link #open}, again after a failure (0.5 s doubling to 5 s) until it succeeds, the link is
     * closed, or {@code forMillis} have passed (negative: no limit); then the last failure is thrown.
     */
    private void openRetrying(boolean reconnect, long forMillis) throws IOException {
        long start = System.nanoTime();
        long delay = FIRST_RETRY_MILLIS;
        while (true) {
            try {
                open(reconnect);
                return;
            } catch (IOException | RuntimeException e) {
                long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
                if (closed || (forMillis >= 0 && elapsedMillis + delay > forMillis)) {
                    throw e;
                }
                sink.warn("mqtt", "cannot reach " + options.broker() + " (" + e.getMessage() + "); trying again in " + delay + " ms");
            }
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while reconnecting to " + options.broker());
            }
            delay = Math.min(MAX_RETRY_MILLIS, delay * 2);
        }
    }

    /** Connects and subscribes; on failure the connection is dropped and the failure thrown. */
    private void open(boolean reconnect) throws IOException {
        Session[] self = new Session[1];
        MqttConnection c = MqttConnection.start(options, listener(self));
        Session s = new Session(c, new PublishWindow(MAX_IN_FLIGHT, MAX_BYTES_IN_FLIGHT));
        self[0] = s;
        current = s; // before connecting: a loss reported meanwhile then finds it current and is acted on
        try {
            await(c.connected(), "connect");
            await(c.subscribe(topics, 1), "subscribe");
        } catch (IOException | RuntimeException e) {
            c.cut();
            throw e;
        }
        if (closed) {
            c.close();
            return;
        }
        sink.info("mqtt", (reconnect ? "reconnected to " : "connected to ") + options.broker());
        handler.onConnected(reconnect);
    }

    private static void await(CompletableFuture<Void> f, String what) throws IOException {
        try {
            f.get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new MqttException(what + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new MqttException(what + " not answered within " + WAIT_MILLIS / 1000 + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted during " + what);
        }
    }

    private MqttListener listener(Session[] self) {
        return new MqttListener() {
            @Override
            public void message(String topic, byte[] payload, boolean retained) {
                throw new IllegalStateException("the link acknowledges its messages itself");
            }

            @Override
            public void message(String topic, byte[] payload, boolean retained, Runnable acknowledge) {
                counters.mqttReceived();
                if (payload.length > Schema.MAX_JSON_BYTES) {
                    sink.warn("mqtt", "dropped a message of " + payload.length + " bytes on " + topic + ": device messages are at most "
                            + Schema.MAX_JSON_BYTES);
                    acknowledge.run();
                    return;
                }
                try {
                    handler.executorFor(topic).execute(() -> {
                        try {
                            handler.onMessage(topic, payload);
                        } catch (Exception e) {
                            sink.warn("mqtt", "handling " + topic + " failed: " + e);
                        } finally {
                            acknowledge.run();
                        }
                    });
                } catch (RejectedExecutionException e) {
                    // closing: left unacknowledged, the broker keeps it for the next server
                }
            }

            @Override
            public void connectionLost(IOException cause) {
                Session s = self[0];
                if (!closed && s == current) {
                    sink.warn("mqtt", "lost the broker connection (" + cause.getMessage() + "); reconnecting");
                    submitQuietly(() -> reconnect(s));
                }
            }
        };
    }

    /** On the connect thread: replaces the lost session {@code lost} until a new one is connected or the link closes. */
    private void reconnect(Session lost) {
        if (closed || current != lost) {
            return; // already replaced
        }
        lost.connection().cut();
        try {
            openRetrying(true, -1);
        } catch (IOException | RuntimeException e) {
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

    public boolean isConnected() {
        Session s = current;
        return s != null && s.connection().isConnected();
    }

    /**
     * Publishes with QoS 1; waits for room in the window. Returns a future that completes on the broker's
     * PUBACK, or throws when there is no connection (the caller retries later or drops, as its protocol says).
     */
    public CompletableFuture<Void> publish(String topic, byte[] payload, boolean retained) throws IOException, InterruptedException {
        Session s = current;
        PublishWindow.Room room = s.window().acquire(payload.length, WAIT_MILLIS, () -> s == current && !closed);
        if (room == null) {
            throw new MqttException("no room to publish on " + topic + " within " + WAIT_MILLIS / 1000 + " s (or the connection was lost)");
        }
        try {
            return s.connection().publish(topic, payload, 1, retained).whenComplete((ok, e) -> {
                room.release();
                if (e == null) {
                    counters.mqttSent();
                }
            });
        } catch (IOException | RuntimeException e) {
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
        Session s = current;
        if (s != null) {
            s.connection().close();
        }
    }
}
