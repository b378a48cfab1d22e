package io.fleetkit.ota.agent;

import io.fleetkit.events.EventSink;
import io.fleetkit.ota.mqtt.MqttConnection;
import io.fleetkit.ota.mqtt.MqttListener;
import io.fleetkit.ota.mqtt.MqttOptions;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The agent's MQTT connection ({@link MqttConnection}, clean sessions): connects, and after any
 * failed attempt or loss connects again with a backoff (1 s doubling to 30 s, timed by
 * {@link #maintain()} on the agent's tick); subscribes after every connect; publishes QoS 1.
 * Whatever arrives — messages, a completed connect, an acknowledged publish — is handed to the
 * agent's single thread through {@code loop}, so the rest of the agent never sees the
 * connection's reader thread. All state changes happen on that thread too.
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

    private static final long FIRST_BACKOFF_MILLIS = 1000;
    private static final long MAX_BACKOFF_MILLIS = 30_000;

    private final MqttOptions options;
    private final List<String> subscriptions;
    private final EventSink sink;
    private Listener listener;
    private Executor loop;
    private volatile MqttConnection connection;
    private volatile boolean stopped;
    private long backoffMillis = FIRST_BACKOFF_MILLIS;
    private long nextAttemptNanos;

    MqttLink(MqttOptions options, List<String> subscriptions, EventSink sink) {
        this.options = options;
        this.subscriptions = List.copyOf(subscriptions);
        this.sink = sink;
    }

    /** Starts the first connection attempt; returns at once. */
    void start(Listener listener, Executor loop) {
        this.listener = listener;
        this.loop = loop;
        connect();
    }

    /** Starts a new connection when there is none and the backoff has passed; runs on the agent's tick. */
    void maintain() {
        if (loop != null && !stopped && connection == null && System.nanoTime() - nextAttemptNanos >= 0) {
            connect();
        }
    }

    private void connect() {
        Attempt a = new Attempt();
        MqttConnection c = MqttConnection.start(options, a);
        a.connection = c;
        connection = c;
        // Runs on the connection's thread, which must not block: the rest goes through the loop.
        c.connected().whenComplete((ok, e) -> post(() -> {
            if (e != null) {
                sink.info("agent", "cannot reach " + options.broker() + ": " + e.getMessage());
                retryLater(c);
            } else {
                subscribe(c);
            }
        }));
    }

    /** Hears one connection; what it hears goes to the agent's thread. */
    private final class Attempt implements MqttListener {
        private volatile MqttConnection connection; // set right after the start; read on the agent's thread

        @Override
        public void message(String topic, byte[] payload, boolean retained) {
            post(() -> listener.message(topic, payload));
        }

        @Override
        public void connectionLost(IOException cause) {
            post(() -> {
                if (connection == MqttLink.this.connection) {
                    sink.info("agent", "connection lost: " + cause.getMessage());
                    retryLater(connection);
                }
            });
        }
    }

    private void subscribe(MqttConnection c) throws IOException {
        if (c != connection) {
            return;
        }
        c.subscribe(subscriptions, 1).whenComplete((ok, e) -> post(() -> {
            if (c != connection) {
                return;
            }
            if (e != null) {
                sink.warn("agent", "subscribe failed: " + e.getMessage());
                c.close();
                retryLater(c);
                return;
            }
            backoffMillis = FIRST_BACKOFF_MILLIS;
            listener.connected();
        }));
    }

    /** Forgets {@code c} (if still current) and schedules the next attempt after the backoff, which then doubles. */
    private void retryLater(MqttConnection c) {
        if (c != connection) {
            return;
        }
        connection = null;
        nextAttemptNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMillis);
        backoffMillis = Math.min(MAX_BACKOFF_MILLIS, backoffMillis * 2);
    }

    private void post(Work w) {
        try {
            loop.execute(() -> run(w));
        } catch (RejectedExecutionException e) {
            // the agent stopped (power cut): nothing more to do
        }
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

    boolean connected() {
        MqttConnection c = connection;
        return c != null && c.isConnected();
    }

    /** QoS 1, fire and forget: a failure is logged, the caller's protocol resends what matters. */
    void publish(String topic, byte[] payload, boolean retained) {
        try {
            current().publish(topic, payload, 1, retained);
        } catch (IOException | RuntimeException e) {
            sink.debug("agent", "publish to " + topic + " failed: " + e.getMessage());
        }
    }

    /** QoS 1; {@code acked} or {@code failed} then runs on the agent's thread. Throws when it cannot even be sent. */
    void publish(String topic, byte[] payload, Runnable acked, Runnable failed, Executor loop) throws IOException {
        current().publish(topic, payload, 1, false).whenComplete((ok, e) -> {
            try {
                loop.execute(e == null ? acked : failed);
            } catch (RejectedExecutionException stopped) {
                // the agent stopped
            }
        });
    }

    /** QoS 1, waiting up to {@code millis} for the broker's acknowledgement. */
    void publishAndWait(String topic, byte[] payload, long millis) throws IOException {
        try {
            current().publish(topic, payload, 1, false).get(millis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("no acknowledgement from " + options.broker() + " within " + millis + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for the broker's acknowledgement");
        }
    }

    private MqttConnection current() throws IOException {
        MqttConnection c = connection;
        if (c == null || !c.isConnected()) {
            throw new IOException("not connected to " + options.broker());
        }
        return c;
    }

    /** Drops the connection like a power cut: no DISCONNECT, so the broker publishes the last will. No reconnect follows. */
    void cut() {
        stopped = true;
        MqttConnection c = connection;
        if (c != null) {
            c.cut();
        }
    }
}
