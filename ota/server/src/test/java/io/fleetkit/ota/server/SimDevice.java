package io.fleetkit.ota.server;

import io.fleetkit.ota.bundle.BundleHeader;
import io.fleetkit.ota.bundle.BundleReader;
import io.fleetkit.ota.bundle.ChunkVerifier;
import io.fleetkit.ota.bundle.VerifiedManifest;
import io.fleetkit.ota.protocol.ChunkFrame;
import io.fleetkit.ota.protocol.ChunkPart;
import io.fleetkit.ota.protocol.ChunkRequest;
import io.fleetkit.ota.protocol.DesiredUpdate;
import io.fleetkit.ota.protocol.DeviceReport;
import io.fleetkit.ota.protocol.OnlineStatus;
import io.fleetkit.ota.protocol.Topics;
import io.fleetkit.ota.protocol.UpdateEvent;
import io.fleetkit.ota.protocol.UpdateState;
import io.fleetkit.ota.protocol.UpdateStatus;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.SocketFactory;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * A device played by a raw Paho client, speaking the protocol as docs/protocol.md says: last
 * will, online, retained report; on a desired update it fetches the signed header, verifies it with
 * ota-bundle, then requests payload chunks in a window of 4 and verifies each with ChunkVerifier;
 * {@link #retry()} asks again for chunks that did not come. Then it "installs" (events) and
 * reports the new version, or rolls back when told to fail.
 */
final class SimDevice implements AutoCloseable {

    static final int WINDOW = 4;

    final String id;
    private final String url;
    private final Topics topics;
    private final String board;
    private final PublicKey trusted;
    private final SocketFactory sockets;
    private final boolean failHealth;
    private MqttAsyncClient client;

    private String version;
    private UpdateState state = UpdateState.IDLE;
    private String target;
    private volatile long seq;
    private DesiredUpdate working;
    private ChunkVerifier verifier;
    private BitSet verified;
    private final Map<Integer, Long> requestedAt = new LinkedHashMap<>();
    volatile int holdAfter = Integer.MAX_VALUE;
    final CountDownLatch held = new CountDownLatch(1);
    final CountDownLatch done = new CountDownLatch(1);
    final AtomicInteger frames = new AtomicInteger();
    final List<Integer> requestLog = new ArrayList<>();
    volatile long payloadBytes;
    /** The seqs of the events the server said it applied, in the order the acknowledgements came. */
    final List<Long> acks = new java.util.concurrent.CopyOnWriteArrayList<>();

    SimDevice(String url, Topics topics, String id, String board, String version, PublicKey trusted, SocketFactory sockets, boolean failHealth) {
        this.url = url;
        this.topics = topics;
        this.id = id;
        this.board = board;
        this.version = version;
        this.trusted = trusted;
        this.sockets = sockets;
        this.failHealth = failHealth;
    }

    /** How many events the device has sent (their seqs are 1..this). */
    long eventsSent() {
        return seq;
    }

    void connect() throws MqttException {
        client = new MqttAsyncClient(url, id, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setAutomaticReconnect(true);
        o.setMaxReconnectDelay(1000);
        o.setConnectionTimeout(30);
        o.setKeepAliveInterval(30);
        o.setMaxInflight(100);
        o.setWill(topics.online(id), OnlineStatus.lastWill().encode(), 1, true);
        o.setSocketFactory(sockets != null ? sockets : NoDelaySockets.plain());
        client.setCallback(new MqttCallbackExtended() {
            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
                try {
                    client.subscribe(new String[] {topics.desired(id), topics.chunkData(id), topics.eventAcks(id)}, new int[] {1, 1, 1});
                    client.publish(topics.online(id), OnlineStatus.online(Instant.now()).encode(), 1, true);
                    report();
                } catch (MqttException e) {
                    // the next reconnect tries again
                }
            }

            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                try {
                    if (topic.equals(topics.eventAcks(id))) {
                        acks.add(io.fleetkit.ota.protocol.EventAck.decode(message.getPayload()).seq());
                    } else if (topic.endsWith("/desired")) {
                        onDesired(DesiredUpdate.decode(message.getPayload()));
                    } else {
                        onFrame(ChunkFrame.decode(message.getPayload()));
                    }
                } catch (Exception e) {
                    System.err.println(id + ": " + e);
                }
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        client.connect(o).waitForCompletion(30_000);
    }

    private synchronized void onDesired(DesiredUpdate d) throws MqttException {
        if (d.isNone()) {
            if (state == UpdateState.DOWNLOADING) {
                working = null;
                setState(UpdateState.IDLE, null);
            }
            return;
        }
        if (d.version().equals(version) || working != null && working.bundle().equals(d.bundle())
                || state.isFailure() && d.version().equals(target)) {
            return;
        }
        working = d;
        verifier = null;
        verified = new BitSet(d.bundle().chunks());
        requestedAt.clear();
        setState(UpdateState.DOWNLOADING, d.version());
        event(UpdateState.DOWNLOADING, null);
        request(ChunkRequest.header(d.bundle().sha256()));
    }

    private synchronized void onFrame(ChunkFrame f) throws IOException, MqttException {
        frames.incrementAndGet();
        if (working == null || !f.bundle().equals(working.bundle().sha256()) || f.isError()) {
            return;
        }
        if (f.part() == ChunkPart.HEADER) {
            if (verifier != null) {
                return;
            }
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(f.data()));
            BundleHeader header = BundleReader.readHeader(in);
            VerifiedManifest m = BundleReader.verify(header, List.of(trusted));
            if (!m.manifest().board().equals(board)) {
                fail("bundle.wrong-board");
                return;
            }
            verifier = m.chunkVerifier();
            requestMore();
            return;
        }
        if (verifier == null || verified.get(f.index())) {
            return;
        }
        verifier.verify(f.index(), f.data());
        verified.set(f.index());
        requestedAt.remove(f.index());
        payloadBytes += f.data().length;
        if (verified.cardinality() == verifier.chunkCount()) {
            install();
        } else {
            requestMore();
        }
    }

    private void requestMore() throws MqttException {
        if (verified.cardinality() >= holdAfter) {
            held.countDown();
            return;
        }
        for (int i = verified.nextClearBit(0); i < verifier.chunkCount() && requestedAt.size() < WINDOW; i = verified.nextClearBit(i + 1)) {
            if (!requestedAt.containsKey(i)) {
                requestedAt.put(i, System.nanoTime());
                requestLog.add(i);
                request(ChunkRequest.payload(working.bundle().sha256(), i));
            }
        }
    }

    /** Asks again for chunks asked for more than {@code afterMillis} ago (and the header if it never came). */
    synchronized void retry(long afterMillis) throws MqttException {
        if (working == null || !client.isConnected()) {
            return;
        }
        if (verifier == null) {
            request(ChunkRequest.header(working.bundle().sha256()));
            return;
        }
        long now = System.nanoTime();
        requestedAt.entrySet().removeIf(e -> now - e.getValue() > afterMillis * 1_000_000);
        requestMore();
    }

    private void install() throws MqttException {
        String newVersion = working.version();
        setState(UpdateState.INSTALLING, newVersion);
        event(UpdateState.INSTALLING, null);
        if (failHealth) {
            working = null;
            setState(UpdateState.ROLLED_BACK, newVersion);
            event(UpdateState.ROLLED_BACK, "health.check-failed");
        } else {
            version = newVersion;
            working = null;
            setState(UpdateState.COMMITTED, newVersion);
            event(UpdateState.COMMITTED, null);
        }
        done.countDown();
    }

    private void fail(String reason) throws MqttException {
        working = null;
        setState(UpdateState.FAILED, target);
        event(UpdateState.FAILED, reason);
        done.countDown();
    }

    private void setState(UpdateState s, String t) throws MqttException {
        state = s;
        target = t;
        report();
    }

    private synchronized void report() throws MqttException {
        Map<String, String> slots = new LinkedHashMap<>();
        slots.put("A", version);
        slots.put("B", null);
        DeviceReport r = new DeviceReport(id, board, version, TestFleet.versionNumber(version), "A", slots,
                new UpdateStatus(state, target, 0.0, state.isFailure() ? "health.check-failed" : null), 1L << 30, 1, "sim", List.of());
        client.publish(topics.state(id), r.encode(), 1, true);
    }

    private void event(UpdateState s, String reason) throws MqttException {
        client.publish(topics.events(id), new UpdateEvent(id, ++seq, s, target, reason, null, Instant.now()).encode(), 1, false);
    }

    private void request(ChunkRequest r) throws MqttException {
        client.publish(topics.chunkRequests(id), r.encode(), 1, false);
    }

    /** Where the device stands, for a failure message. */
    synchronized String describe() {
        return id + " " + state + " " + target + ", connected " + (client != null && client.isConnected()) + ", "
                + (verified == null ? 0 : verified.cardinality()) + " chunks verified, " + requestedAt.size() + " requested and not come, "
                + frames.get() + " frames received, " + requestLog.size() + " requests sent";
    }

    synchronized BitSet verifiedChunks() {
        return verified == null ? new BitSet() : (BitSet) verified.clone();
    }

    synchronized String version() {
        return version;
    }

    @Override
    public void close() throws MqttException {
        if (client != null) {
            try {
                if (client.isConnected()) {
                    client.disconnectForcibly(100, 1000);
                }
            } finally {
                client.close(true);
            }
        }
    }
}
