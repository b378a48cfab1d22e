package io.fleetkit.ota.mqtt;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One MQTT 3.1.1 connection, clean or persistent session: connect, subscribe, publish at QoS 0 or 1,
 * receive at QoS 0 or 1, acknowledging on the reader thread or later, from the listener's. One daemon reader thread (named after the client id) connects, then
 * reads every packet; sends are serialized under a lock on the caller's thread; the keep-alive
 * pings run on a thread shared by all connections ({@link KeepAlive}). There is no reconnect: once
 * the connection ended, the owner starts a new one. QoS 2 is not supported — the agent only
 * subscribes at QoS 1, so a QoS 2 packet from the broker is a protocol error that ends the connection.
 */
public final class MqttConnection implements AutoCloseable {

    private static final int RECEIVE_BUFFER = 64 << 10;

    private interface Send {
        void to(PacketWriter w) throws IOException;
    }

    private final MqttOptions options;
    private final MqttListener listener;
    private final CompletableFuture<Void> connected = new CompletableFuture<>();
    private final ReentrantLock sendLock = new ReentrantLock();
    private final PendingAcks pending = new PendingAcks();
    private final InOrderAcks inOrder = new InOrderAcks();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final java.util.concurrent.Semaphore unacknowledged;
    private volatile Socket socket;
    private volatile ScheduledFuture<?> keepAlive;
    private volatile long lastSent;
    private volatile long lastReceived;
    private PacketWriter writer; // guarded by sendLock

    private MqttConnection(MqttOptions options, MqttListener listener) {
        this.options = options;
        this.listener = listener;
        this.unacknowledged = new java.util.concurrent.Semaphore(options.maxUnacknowledged());
    }

    /**
     * Starts connecting on the connection's own thread and returns at once; {@link #connected()}
     * completes on CONNACK (on that thread: callbacks must not block) or fails with the reason.
     */
    public static MqttConnection start(MqttOptions options, MqttListener listener) {
        MqttConnection c = new MqttConnection(options, listener);
        Thread t = new Thread(c::run, "mqtt-" + options.clientId());
        t.setDaemon(true);
        t.start();
        return c;
    }

    /** Connects and waits for the CONNACK; a refusal is a {@link MqttRefusedException}. */
    public static MqttConnection open(MqttOptions options, MqttListener listener) throws IOException {
        MqttConnection c = start(options, listener);
        try {
            c.connected.get();
            return c;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new MqttException("connect failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            c.cut();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while connecting to " + options.broker());
        }
    }

    public CompletableFuture<Void> connected() {
        return connected;
    }

    /** True between an accepted CONNACK and the end of the connection. */
    public boolean isConnected() {
        return connected.isDone() && !connected.isCompletedExceptionally() && !ended.get();
    }

    /**
     * Subscribes to {@code filters} at {@code qos} (0 or 1). The future completes on SUBACK and
     * fails if the broker refused any filter (return code 0x80) or the connection ended first.
     */
    public CompletableFuture<Void> subscribe(List<String> filters, int qos) throws IOException {
        checkQos(qos);
        List<byte[]> encoded = new ArrayList<>();
        for (String f : filters) {
            encoded.add(PacketWriter.utf8(f, "topic filter"));
        }
        CompletableFuture<Packet> ack = new CompletableFuture<>();
        send(w -> w.subscribe(pending.register(ack), encoded, qos));
        return ack.thenApply(p -> {
            int[] codes = ((Packet.SubAck) p).returnCodes();
            for (int i = 0; i < codes.length; i++) {
                if (codes[i] == 0x80) {
                    throw new CompletionException(new MqttException(options.broker() + " refused the subscription to '"
                            + (i < filters.size() ? filters.get(i) : "?") + "' (SUBACK 0x80)"));
                }
            }
            return null;
        });
    }

    /**
     * Publishes at QoS 0 or 1. Throws when the packet cannot be written (not connected, write
     * error). The future completes once written (QoS 0) or on PUBACK (QoS 1), and fails when the
     * connection ends before the PUBACK: nothing is resent.
     */
    public CompletableFuture<Void> publish(String topic, byte[] payload, int qos, boolean retain) throws IOException {
        checkQos(qos);
        byte[] t = PacketWriter.utf8(topic, "topic");
        if (qos == 0) {
            send(w -> w.publish(t, payload, 0, retain, 0));
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Packet> ack = new CompletableFuture<>();
        send(w -> w.publish(t, payload, 1, retain, pending.register(ack)));
        return ack.thenApply(p -> null);
    }

    /** Sends DISCONNECT (so the broker drops the will) and closes the socket. */
    @Override
    public void close() {
        if (isConnected()) {
            try {
                if (sendLock.tryLock(1, TimeUnit.SECONDS)) {
                    try {
                        writer.disconnect();
                    } finally {
                        sendLock.unlock();
                    }
                }
            } catch (IOException | InterruptedException ignored) {
                // closing anyway
            }
        }
        end(new MqttException("closed by the client"));
    }

    /** Drops the socket without DISCONNECT, like a power cut: the broker publishes the will. */
    public void cut() {
        end(new MqttException("cut by the client"));
    }

    private void run() {
        PacketReader reader;
        try {
            reader = handshake();
        } catch (Throwable e) {
            end(null);
            connected.completeExceptionally(e instanceof IOException ? e : new MqttException("connect failed: " + e, e));
            return;
        }
        connected.complete(null);
        try {
            while (true) {
                receive(reader.read());
            }
        } catch (SocketTimeoutException e) {
            lost(new MqttException("nothing from " + options.broker() + " for " + options.keepAliveSeconds() * 1.5
                    + " s (1.5 x keep-alive): connection lost", e));
        } catch (Throwable e) {
            lost(e);
        }
    }

    private PacketReader handshake() throws IOException {
        BrokerAddress broker = options.broker();
        int timeout = (int) options.connectTimeout().toMillis();
        Socket s = options.effectiveSocketFactory().createSocket();
        socket = s;
        if (ended.get()) {
            s.close();
            throw new MqttException("cut while connecting to " + broker);
        }
        PacketReader reader;
        try {
            s.setTcpNoDelay(true); // the writer coalesces each packet itself
            s.connect(new InetSocketAddress(broker.host(), broker.port()), timeout);
            s.setSoTimeout(timeout);
            if (s instanceof SSLSocket ssl) {
                // as Paho did: the broker's certificate must name the host we dialled
                SSLParameters p = ssl.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                ssl.setSSLParameters(p);
                ssl.startHandshake();
            }
            reader = new PacketReader(new BufferedInputStream(s.getInputStream(), RECEIVE_BUFFER), options.maxIncomingMessageBytes());
            PacketWriter w = new PacketWriter(s.getOutputStream());
            sendLock.lock();
            try {
                writer = w;
                w.connect(options);
            } finally {
                sendLock.unlock();
            }
        } catch (MqttException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException("cannot connect to " + broker + ": " + e.getMessage(), e);
        }
        Packet p = reader.read();
        if (!(p instanceof Packet.ConnAck ack)) {
            throw new MqttException(broker + " answered CONNECT with " + p.getClass().getSimpleName() + " instead of CONNACK");
        }
        if (ack.returnCode() != 0) {
            throw new MqttRefusedException(broker, options.clientId(), ack.returnCode());
        }
        int keepAliveMillis = options.keepAliveSeconds() * 1000;
        s.setSoTimeout(keepAliveMillis * 3 / 2); // 0 (no timeout) without keep-alive
        lastSent = lastReceived = System.nanoTime();
        if (keepAliveMillis > 0) {
            keepAlive = KeepAlive.every(keepAliveMillis / 2, this::pingIfIdle);
            if (ended.get()) {
                keepAlive.cancel(false);
            }
        }
        return reader;
    }

    private void receive(Packet p) throws IOException {
        lastReceived = System.nanoTime();
        if (p instanceof Packet.Publish m) {
            if (m.qos() == 2) {
                throw new MqttException("the broker sent a QoS 2 PUBLISH on '" + m.topic() + "'; this client supports QoS 0 and 1 only");
            }
            if (m.qos() == 0) {
                listener.message(m.topic(), m.payload(), m.retain(), () -> { });
                return;
            }
            awaitRoomForUnacknowledged();
            listener.message(m.topic(), m.payload(), m.retain(), acknowledgement(inOrder.received(m.packetId())));
        } else if (p instanceof Packet.PubAck a) {
            pending.acknowledged(a.packetId(), a);
        } else if (p instanceof Packet.SubAck a) {
            pending.acknowledged(a.packetId(), a);
        } else if (!(p instanceof Packet.PingResp)) {
            throw new MqttException("unexpected " + p.getClass().getSimpleName() + " from " + options.broker() + " after CONNACK");
        }
    }

    /** Waits (reading nothing meanwhile) while {@link MqttOptions#maxUnacknowledged} received messages await their acknowledgement. */
    private void awaitRoomForUnacknowledged() throws IOException {
        try {
            while (!unacknowledged.tryAcquire(200, TimeUnit.MILLISECONDS)) {
                if (ended.get()) {
                    throw new MqttException("connection ended while received messages awaited their acknowledgement");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to acknowledge received messages");
        }
    }

    /**
     * Acknowledges {@code message} once, from whichever thread calls it: its PUBACK goes when those of all messages
     * received before it have gone (in order, as MQTT asks). A connection that ended meanwhile sends none.
     */
    private Runnable acknowledgement(InOrderAcks.Received message) {
        AtomicBoolean done = new AtomicBoolean();
        return () -> {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            unacknowledged.release();
            // one at a time, so that the PUBACKs released by different threads keep their order on the wire
            synchronized (inOrder) {
                for (int packetId : inOrder.handled(message)) {
                    if (ended.get()) {
                        return; // the broker sends it again (persistent session) or has dropped it with the session
                    }
                    try {
                        send(w -> w.pubAck(packetId));
                    } catch (IOException e) {
                        return; // the connection went away; its owner hears of it through connectionLost
                    }
                }
            }
        };
    }

    /** Sends a PINGREQ when nothing was sent, or nothing received, for half the keep-alive; runs on the shared keep-alive thread. */
    private void pingIfIdle() {
        try {
            long half = options.keepAliveSeconds() * 500_000_000L;
            long now = System.nanoTime();
            if (ended.get() || (now - lastSent < half && now - lastReceived < half)) {
                return;
            }
            // A sender holding the lock is sending anyway; never block the thread all connections share.
            if (sendLock.tryLock()) {
                IOException failure = null;
                try {
                    if (!ended.get()) {
                        writer.pingReq();
                        lastSent = now;
                    }
                } catch (IOException e) {
                    failure = e;
                } finally {
                    sendLock.unlock();
                }
                if (failure != null) {
                    lost(failure);
                }
            }
        } catch (RuntimeException e) {
            lost(e); // a throwing task would silently stop being scheduled
        }
    }

    private void send(Send packet) throws IOException {
        IOException failure;
        sendLock.lock();
        try {
            if (!isConnected()) {
                throw new MqttException("not connected to " + options.broker());
            }
            packet.to(writer);
            lastSent = System.nanoTime();
            return;
        } catch (MqttException e) {
            throw e;
        } catch (IOException e) {
            failure = e;
        } finally {
            sendLock.unlock();
        }
        lost(failure);
        failPending(failure);
        throw failure;
    }

    private void lost(Throwable cause) {
        IOException e = cause instanceof IOException io ? io : new MqttException("connection failed: " + cause, cause);
        if (end(e)) {
            listener.connectionLost(e);
        }
    }

    /** Ends the connection once: stops pings, closes the socket, fails what awaits an acknowledgement. False if already ended. */
    private boolean end(IOException cause) {
        if (!ended.compareAndSet(false, true)) {
            return false;
        }
        ScheduledFuture<?> k = keepAlive;
        if (k != null) {
            k.cancel(false);
        }
        Socket s = socket;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // nothing more to do with it
            }
        }
        failPending(cause);
        return true;
    }

    private void failPending(IOException cause) {
        pending.failAll("connection to " + options.broker() + " ended before the acknowledgement", cause);
    }

    private static void checkQos(int qos) {
        if (qos != 0 && qos != 1) {
            throw new IllegalArgumentException("QoS " + qos + ": this client supports QoS 0 and 1 only");
        }
    }
}
