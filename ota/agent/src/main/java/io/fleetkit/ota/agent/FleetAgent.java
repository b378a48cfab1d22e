package io.fleetkit.ota.agent;

import io.fleetkit.events.EventSink;
import io.fleetkit.events.FleetkitException;
import io.fleetkit.formats.fat.FatFileInPlace;
import io.fleetkit.formats.mbr.MbrReader;
import io.fleetkit.formats.mbr.PartitionTable;
import io.fleetkit.ota.boot.BootBackend;
import io.fleetkit.ota.bundle.PemKeys;
import io.fleetkit.ota.mqtt.MqttOptions;
import io.fleetkit.ota.mqtt.Will;
import io.fleetkit.ota.protocol.ChunkFrame;
import io.fleetkit.ota.protocol.OnlineStatus;
import io.fleetkit.ota.protocol.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The device agent (docs/protocol.md): wires the {@link UpdateStateMachine} to the broker. The
 * {@link MqttLink} carries messages, the {@link UpdateDriver} downloads, installs and checks
 * health, the {@link StatusPublisher} reports. Everything runs on one thread (MQTT messages,
 * HTTP chunks and the periodic tick are queued onto it), so the state machine never sees two
 * things at once. Clock, reboot action, disk and /proc paths come from the caller and the config,
 * so tests run real agents against file-backed disks.
 */
public final class FleetAgent implements AutoCloseable {

    private static final Duration TICK = Duration.ofSeconds(1);
    /** Room for a bundle's header (manifest and signature, bounded by the bundle format) in front of the slot image. */
    private static final long OFFLINE_HEADER_BYTES = 2L << 20;

    private final AgentConfig config;
    private final Clock clock;
    private final EventSink sink;
    private final Topics topics;
    private final String deviceId;
    private final UpdateStateMachine machine;
    private final ScheduledExecutorService loop;
    private final MqttLink link;
    private final UpdateDriver driver;
    private final StatusPublisher status;
    private final StateReporter reporter;
    private volatile boolean rebooting;

    public FleetAgent(AgentConfig config, Clock clock, Rebooter rebooter, EventSink sink) throws IOException {
        this.config = config;
        this.clock = clock;
        this.sink = sink;
        this.topics = new Topics(config.topicPrefix());
        FatFileInPlace bootFiles = BootBackends.bootPartition(config);
        this.deviceId = DeviceIdentity.resolve(config, bootFiles);
        BootBackend boot = BootBackends.create(config);
        String bootId = Files.isRegularFile(config.procBootId()) ? Files.readString(config.procBootId()).strip() : "unknown";
        Rebooter marking = kind -> {
            flushBeforeReboot();
            rebooting = true;
            rebooter.reboot(kind);
        };
        List<PublicKey> trusted = List.of(PemKeys.readPublicKey(config.signingPublicKey()));
        this.machine = new UpdateStateMachine(deviceId, bootId, config.versionNumber(), new AgentStateStore(config.dataDir()), boot, marking,
                new BundleCheck(config.board(), trusted, config.disk(), clock),
                new SlotDownload(config.disk(), boot, config.downloadSyncBytes()), clock, sink);
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fleet-agent-" + deviceId);
            t.setDaemon(true);
            return t;
        });
        javax.net.ssl.SSLSocketFactory tls = tlsSockets(bootFiles);
        this.link = new MqttLink(connectOptions(tls), topics.deviceSubscriptions(deviceId), sink);
        // health.requireBroker=false: a device meant to run offline commits on its local checks alone
        HealthCheck health = new HealthCheck(config.healthServices(), config.healthChecks(),
                config.healthRequireBroker() ? link::connected : () -> true, Duration.ofSeconds(30));
        OfflineInstall offline = new OfflineInstall(new OfflineBundleSource(config.offlineBundles(), bootFiles), trusted,
                largestSlot(config) + OFFLINE_HEADER_BYTES, config.dataDir(), clock, sink);
        this.driver = new UpdateDriver(machine, config, health, clock, sink, loop, deviceId,
                r -> link.publish(topics.chunkRequests(deviceId), r.encode(), false), link::connected, tls, offline);
        this.reporter = new StateReporter(config, deviceId, boot);
        this.status = new StatusPublisher(machine, reporter, link, topics, deviceId,
                work -> loop.execute(() -> guarded(work::run)), clock, sink);
    }

    /** The largest slot partition: no bundle file bigger than it and a header is worth reading. */
    private static long largestSlot(AgentConfig config) throws IOException {
        PartitionTable t = MbrReader.read(config.disk());
        return Math.max(t.require(2, "slot A").sizeBytes(), t.require(3, "slot B").sizeBytes());
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
        loop.submit(() -> guarded(driver::resume)).get();
        if (rebooting) {
            return;
        }
        loop.submit(() -> {
            reporter.startRun(AgentRuns.next(config.dataDir()));
            return null;
        }).get();
        link.start(new MqttLink.Listener() {
            @Override
            public void connected() throws IOException {
                onConnected();
            }

            @Override
            public void message(String topic, byte[] payload) throws Exception {
                if (topic.equals(topics.desired(deviceId))) {
                    driver.onDesired(payload);
                } else if (topic.equals(topics.chunkData(deviceId))) {
                    driver.onFrame(payload);
                } else if (topic.equals(topics.eventAcks(deviceId))) {
                    status.onAck(payload);
                }
                status.publishChanges();
            }
        }, work -> loop.execute(() -> guarded(work::run)));
        // Work that answers a message happens in its handler; the tick only catches what time
        // brings (timeouts, retries, the health check's next attempt), so once a second is enough.
        // A thousand simulated agents in one JVM woke 5,000 times a second at 200 ms.
        loop.scheduleWithFixedDelay(() -> guarded(this::tick), 200, TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The device's TLS credentials (config, else the identity on p1) as a socket factory, for the broker and HTTPS downloads; null when there are none. */
    private javax.net.ssl.SSLSocketFactory tlsSockets(FatFileInPlace boot) throws IOException {
        Optional<TlsCredentials> tls = TlsCredentials.resolve(config, boot);
        return tls.isPresent() ? TlsSocketFactory.create(tls.get()) : null;
    }

    private MqttOptions connectOptions(javax.net.ssl.SSLSocketFactory tls) throws IOException {
        // Always a clean session (the client has no other): after a reconnect nothing unacknowledged
        // is resent with DUP=1, which stopped a session loop of the embedded Moquette 0.17 for good
        // (moquette #750). Nothing is lost: desired is retained, chunks are asked for again, events
        // stay in the outbox until the server acknowledges them, and subscriptions are renewed on
        // every connect. MqttLink reconnects (1 s doubling to 30 s).
        // The largest message the agent takes is a chunk frame; anything announced larger ends the connection unread.
        MqttOptions o = MqttOptions.of(config.brokerUrl(), deviceId).withKeepAlive(30).withConnectTimeout(Duration.ofSeconds(10))
                .withWill(new Will(topics.online(deviceId), OnlineStatus.lastWill().encode(), 1, true))
                .withMaxIncomingMessageBytes(ChunkFrame.MAX_FRAME);
        if (config.brokerUrl().startsWith("ssl://") && tls != null) {
            o = o.withSocketFactory(tls);
        }
        return o;
    }

    /** Periodic work: connection retries, downloads, health checks, reports. Runs on the agent thread. */
    void tick() throws IOException {
        if (rebooting) {
            return;
        }
        link.maintain();
        driver.tick();
        status.publishChanges();
    }

    private void onConnected() throws IOException {
        link.publish(topics.online(deviceId), OnlineStatus.online(clock.instant()).encode(), true);
        status.reconnected();
        driver.reconnected();
        status.publishChanges();
    }

    private void flushBeforeReboot() {
        status.flushBeforeReboot();
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
        } catch (Error e) {
            // Anything that escaped would end the periodic tick for good (scheduleWithFixedDelay), and with it
            // every reconnect and retry: say it and keep ticking.
            sink.warn("agent", "tick failed: " + e);
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
        driver.stop();
        try {
            machine.powerCut(); // the agent thread has ended: nothing else touches the machine now
        } catch (IOException e) {
            sink.debug("agent", "dropping the slot writer at the power cut: " + e.getMessage());
        }
        link.cut();
    }

    @Override
    public void close() {
        powerCut();
    }
}
