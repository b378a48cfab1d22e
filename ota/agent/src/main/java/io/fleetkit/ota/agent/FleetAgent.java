package io.fleetkit.ota.agent;

import io.fleetkit.events.EventSink;
import io.fleetkit.events.FleetkitException;
import io.fleetkit.ota.boot.BootBackend;
import io.fleetkit.ota.bundle.BundleRefusedException;
import io.fleetkit.ota.bundle.PemKeys;
import io.fleetkit.ota.bundle.VerifiedManifest;
import io.fleetkit.ota.protocol.ChunkFrame;
import io.fleetkit.ota.protocol.ChunkPart;
import io.fleetkit.ota.protocol.ChunkRequest;
import io.fleetkit.ota.protocol.DesiredUpdate;
import io.fleetkit.ota.protocol.OnlineStatus;
import io.fleetkit.ota.protocol.Topics;
import io.fleetkit.ota.protocol.UpdateEvent;
import io.fleetkit.ota.protocol.UpdateState;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The device agent: the MQTT side of the protocol (docs/protocol.md) around the
 * {@link UpdateStateMachine}. Everything runs on one thread (Paho callbacks and the periodic
 * {@link #tick()} are queued onto it), so the state machine never sees two things at once.
 * Clock, reboot action, disk and /proc paths come from the caller and the config, so tests run
 * real agents against file-backed disks.
 */
public final class FleetAgent implements AutoCloseable {

    private static final Duration HEALTH_INTERVAL = Duration.ofSeconds(2);

    private final AgentConfig config;
    private final Clock clock;
    private final EventSink sink;
    private final Topics topics;
    private final String deviceId;
    private final UpdateStateMachine machine;
    private final StateReporter reporter;
    private final HealthCheck health;
    private final ScheduledExecutorService loop;
    private MqttAsyncClient client;
    private volatile boolean rebooting;
    private ChunkTransfer transfer;
    private Instant headerAskedAt;
    private Instant lastHealthAttempt;
    private long publishedSeq;
    private MqttConnectOptions options;
    private volatile boolean connecting;
    private volatile boolean everConnected;
    private Instant lastConnectAttempt;

    public FleetAgent(AgentConfig config, Clock clock, Rebooter rebooter, EventSink sink) throws IOException {
        this.config = config;
        this.clock = clock;
        this.sink = sink;
        this.topics = new Topics(config.topicPrefix());
        this.deviceId = DeviceIdentity.resolve(config, BootBackends.bootPartition(config));
        BootBackend boot = BootBackends.create(config);
        String bootId = Files.isRegularFile(config.procBootId()) ? Files.readString(config.procBootId()).strip() : "unknown";
        Rebooter marking = kind -> {
            flushBeforeReboot();
            rebooting = true;
            rebooter.reboot(kind);
        };
        this.machine = new UpdateStateMachine(deviceId, config.board(), List.of(PemKeys.readPublicKey(config.signingPublicKey())),
                new AgentStateStore(config.dataDir()), boot, config.disk(), marking, clock, bootId, config.versionNumber(), sink);
        this.reporter = new StateReporter(config, deviceId, boot);
        this.health = new HealthCheck(config.healthServices(), config.healthChecks(),
                () -> client != null && client.isConnected(), Duration.ofSeconds(30));
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fleet-agent-" + deviceId);
            t.setDaemon(true);
            return t;
        });
    }

    public String deviceId() {
        return deviceId;
    }

    public UpdateStateMachine machine() {
        return machine;
    }

    /** True once the agent asked for a reboot; it then does nothing more. */
    public boolean rebooting() {
        return rebooting;
    }

    /** Resumes the saved state, then connects; returns at once (work continues on the agent thread). */
    public void start() throws Exception {
        loop.submit(() -> guarded(this::resume)).get();
        if (rebooting) {
            return;
        }
        client = new MqttAsyncClient(config.brokerUrl(), deviceId, new MemoryPersistence());
        client.setCallback(new Callback());
        options = connectOptions();
        connect();
        loop.scheduleWithFixedDelay(() -> guarded(this::tick), 200, 200, TimeUnit.MILLISECONDS);
    }

    /** First connection (Paho reconnects by itself only after one succeeded): retried from {@link #tick()}. */
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
                    sink.info("agent", "cannot reach " + config.brokerUrl() + ": " + e.getMessage());
                }
            });
        } catch (MqttException e) {
            connecting = false;
        }
    }

    private MqttConnectOptions connectOptions() throws IOException {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(false);
        o.setAutomaticReconnect(true);
        o.setMaxReconnectDelay(30);
        o.setKeepAliveInterval(30);
        o.setMaxInflight(64);
        o.setConnectionTimeout(10);
        o.setWill(topics.online(deviceId), OnlineStatus.lastWill().encode(), 1, true);
        if (config.tlsCa() != null) {
            o.setSocketFactory(TlsSocketFactory.create(config.tlsCa(), config.tlsCert(), config.tlsKey()));
        }
        return o;
    }

    private void resume() throws IOException {
        switch (machine.resume()) {
            case DOWNLOAD -> startTransferIfHeader();
            case INSTALL -> machine.install();
            default -> { }
        }
    }

    private void startTransferIfHeader() {
        if (machine.state().hasHeader()) {
            VerifiedManifest v = machine.verifiedManifest();
            transfer = new ChunkTransfer(v.manifest(), v.chunkVerifier(), machine.state().chunksDone(), config.downloadWindow(),
                    config.chunkTimeout(), clock);
        }
    }

    /** Periodic work: re-requests, health checks, reports. Runs on the agent thread. */
    void tick() throws IOException {
        if (rebooting) {
            return;
        }
        if (!everConnected && !connecting && !connected() && clock.instant().isAfter(lastConnectAttempt.plusSeconds(5))) {
            connect();
        }
        UpdateState s = machine.state().state();
        if (s == UpdateState.DOWNLOADING && connected()) {
            if (transfer == null && (headerAskedAt == null || !clock.instant().isBefore(headerAskedAt.plus(config.chunkTimeout())))) {
                headerAskedAt = clock.instant();
                send(ChunkRequest.header(machine.state().bundle().sha256()));
            } else if (transfer != null) {
                for (int i : transfer.due()) {
                    send(ChunkRequest.payload(machine.state().bundle().sha256(), i));
                }
            }
        } else if (s == UpdateState.TRIAL) {
            checkHealth();
        }
        publishChanges();
    }

    private void checkHealth() throws IOException {
        Instant now = clock.instant();
        if (lastHealthAttempt != null && now.isBefore(lastHealthAttempt.plus(HEALTH_INTERVAL))) {
            return;
        }
        lastHealthAttempt = now;
        HealthCheck.Outcome o = health.attempt();
        if (o.healthy()) {
            machine.healthy();
        } else if (!now.isBefore(machine.state().since().plus(config.healthDeadline()))) {
            machine.unhealthy(o.reason(), o.message() + " (deadline " + config.healthDeadline().toSeconds() + " s)");
        }
    }

    private void onDesired(byte[] payload) throws IOException {
        DesiredUpdate d = DesiredUpdate.decode(payload);
        if (machine.offer(d)) {
            transfer = null;
            headerAskedAt = null;
            tick();
        }
    }

    private void onFrame(byte[] payload) throws IOException {
        ChunkFrame f = ChunkFrame.decode(payload);
        if (machine.state().state() != UpdateState.DOWNLOADING || !f.bundle().equals(machine.state().bundle().sha256())) {
            return;
        }
        if (f.isError()) {
            machine.fail(f.error(), "the server answered " + f.part().wire() + " " + f.index() + " with " + f.error());
            transfer = null;
            return;
        }
        try {
            if (f.part() == ChunkPart.HEADER) {
                if (transfer == null) {
                    machine.acceptHeader(f.data());
                    startTransferIfHeader();
                    tick();
                }
                return;
            }
            if (transfer == null) {
                return;
            }
            List<ChunkTransfer.Ready> ready = transfer.accept(f.index(), f.data());
            if (ready.isEmpty()) {
                return;
            }
            SlotWriter writer = machine.slotWriter();
            VerifiedManifest v = machine.verifiedManifest();
            for (ChunkTransfer.Ready r : ready) {
                writer.writeChunk(v.manifest(), r.index(), r.data(), r.data().length);
                transfer.written(r.index());
            }
            machine.chunksDone(transfer.next());
            if (transfer.done()) {
                transfer = null;
                machine.install();
            } else {
                tick();
            }
        } catch (BundleRefusedException e) {
            transfer = null;
            if (machine.state().state() != UpdateState.FAILED) {
                machine.fail(e.code(), e.getMessage());
            }
        }
    }

    private void onConnected() throws IOException {
        try {
            client.subscribe(new String[] {topics.desired(deviceId), topics.chunkData(deviceId)}, new int[] {1, 1});
            publish(topics.online(deviceId), OnlineStatus.online(clock.instant()).encode(), true);
        } catch (MqttException e) {
            sink.warn("agent", "subscribe failed: " + e.getMessage());
        }
        reporter.forget();
        publishedSeq = 0;
        headerAskedAt = null;
        if (transfer != null) {
            transfer.forgetRequests();
        }
        tick();
    }

    private void publishChanges() throws IOException {
        if (!connected()) {
            return;
        }
        for (UpdateEvent e : machine.outbox()) {
            if (e.seq() > publishedSeq) {
                publishedSeq = e.seq();
                long seq = e.seq();
                try {
                    MqttMessage m = new MqttMessage(e.encode());
                    m.setQos(1);
                    client.publish(topics.events(deviceId), m, null, new IMqttActionListener() {
                        @Override
                        public void onSuccess(IMqttToken token) {
                            loop.execute(() -> guarded(() -> machine.delivered(seq)));
                        }

                        @Override
                        public void onFailure(IMqttToken token, Throwable ex) {
                            loop.execute(() -> publishedSeq = Math.min(publishedSeq, seq - 1));
                        }
                    });
                } catch (MqttException ex) {
                    publishedSeq = e.seq() - 1;
                    return;
                }
            }
        }
        reporter.changed(machine.state(), transfer).ifPresent(r -> publish(topics.state(deviceId), r, true));
    }

    /**
     * Tells the server what happened (events, state report) before the device goes down, waiting
     * a few seconds for the broker's acknowledgement; what is not acknowledged stays in the saved
     * outbox and is sent again after the reboot (the server drops repeats by seq).
     */
    private void flushBeforeReboot() {
        if (!connected()) {
            return;
        }
        try {
            for (UpdateEvent e : machine.outbox()) {
                MqttMessage m = new MqttMessage(e.encode());
                m.setQos(1);
                client.publish(topics.events(deviceId), m).waitForCompletion(5000);
                publishedSeq = Math.max(publishedSeq, e.seq());
                machine.delivered(e.seq());
            }
            reporter.changed(machine.state(), transfer).ifPresent(r -> publish(topics.state(deviceId), r, true));
        } catch (MqttException | IOException e) {
            sink.info("agent", "events not delivered before the reboot, will resend: " + e.getMessage());
        }
    }

    private void send(ChunkRequest r) {
        publish(topics.chunkRequests(deviceId), r.encode(), false);
    }

    private void publish(String topic, byte[] payload, boolean retained) {
        try {
            client.publish(topic, payload, 1, retained);
        } catch (MqttException e) {
            sink.debug("agent", "publish to " + topic + " failed: " + e.getMessage());
        }
    }

    private boolean connected() {
        return client != null && client.isConnected();
    }

    private interface Work {
        void run() throws Exception;
    }

    private void guarded(Work w) {
        if (rebooting) {
            return;
        }
        try {
            w.run();
        } catch (FleetkitException e) {
            sink.warn("agent", e.code() + ": " + e.getMessage());
        } catch (Exception e) {
            sink.warn("agent", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** Stops like a power cut: no DISCONNECT packet, so the broker publishes the last will. */
    public void powerCut() {
        rebooting = true;
        loop.shutdownNow();
        try {
            loop.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (client != null) {
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

    @Override
    public void close() {
        powerCut();
    }

    private final class Callback implements MqttCallbackExtended {
        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            loop.execute(() -> guarded(FleetAgent.this::onConnected));
        }

        @Override
        public void connectionLost(Throwable cause) {
            sink.info("agent", "connection lost: " + (cause == null ? "" : cause.getMessage()));
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            byte[] payload = message.getPayload();
            if (topic.equals(topics.desired(deviceId))) {
                loop.execute(() -> guarded(() -> onDesired(payload)));
            } else if (topic.equals(topics.chunkData(deviceId))) {
                loop.execute(() -> guarded(() -> onFrame(payload)));
            }
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            // event acknowledgements are handled per token
        }
    }
}
