package io.fleetkit.ota.agent;

import io.fleetkit.events.EventSink;
import io.fleetkit.events.FleetkitException;
import io.fleetkit.ota.bundle.BundleRefusedException;
import io.fleetkit.ota.bundle.VerifiedManifest;
import io.fleetkit.ota.protocol.ChunkFrame;
import io.fleetkit.ota.protocol.ChunkRequest;
import io.fleetkit.ota.protocol.DesiredUpdate;
import io.fleetkit.ota.protocol.UpdateState;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Moves the {@link UpdateStateMachine} along: takes desired updates, downloads the bundle —
 * over HTTP when the desired update offers a {@code url}, else (or after HTTP failed) as chunks
 * over MQTT — writes each verified chunk to the slot in order and records the verified prefix
 * (one {@link DownloadReceiver} for both), installs when complete, and runs the health checks of
 * a trial. Runs on the agent's thread; the HTTP download's own thread hands its chunks over to it.
 */
final class UpdateDriver {

    private static final Duration HEALTH_INTERVAL = Duration.ofSeconds(2);

    private final UpdateStateMachine machine;
    private final AgentConfig config;
    private final HealthCheck health;
    private final Clock clock;
    private final EventSink sink;
    private final ExecutorService loop;
    private final Consumer<ChunkRequest> send;
    private final BooleanSupplier online;
    private final String deviceId;
    private final OfflineInstall offline;
    private final DownloadReceiver slot = new SlotReceiver();
    private ChunkDownload chunks;
    private HttpDownload http;
    private Thread httpThread;
    private int httpGeneration;
    private String httpFailedFor;
    private Instant lastHealthAttempt;
    /** For an https:// bundle URL: the device's certificate and the fleet CA, as for the broker; null without TLS credentials. */
    private final javax.net.ssl.SSLSocketFactory tls;

    UpdateDriver(UpdateStateMachine machine, AgentConfig config, HealthCheck health, Clock clock, EventSink sink, ExecutorService loop,
                 String deviceId, Consumer<ChunkRequest> send, BooleanSupplier online, javax.net.ssl.SSLSocketFactory tls,
                 OfflineInstall offline) {
        this.machine = machine;
        this.offline = offline;
        this.tls = tls;
        this.config = config;
        this.health = health;
        this.clock = clock;
        this.sink = sink;
        this.loop = loop;
        this.deviceId = deviceId;
        this.send = send;
        this.online = online;
    }

    /** After a start: carries on with what the saved state says. */
    void resume() throws IOException {
        switch (machine.resume()) {
            case INSTALL -> machine.install();
            default -> { }
        }
    }

    /** Periodic work: keeps a download going, re-asks for chunks, checks health during a trial. */
    void tick() throws IOException {
        UpdateState s = machine.state().state();
        if (s == UpdateState.DOWNLOADING) {
            machine.settleCheckpoint();
            download();
            ChunkDownload c = chunks;
            if (c != null && c.fill(slot) && chunks == c && online.getAsBoolean()) {
                c.ask(); // the window moved past chunks copied from the device
            }
        } else {
            stopDownloads();
            if (s == UpdateState.TRIAL) {
                checkHealth();
            } else if (!s.isBusy()) {
                offerOffline();
            }
        }
    }

    /** A bundle dropped on the device (looked for at the start, then as {@link OfflineInstall#due()} says) is offered like a desired update from the server. */
    private void offerOffline() throws IOException {
        offline.settled(machine.state());
        if (!offline.due() || machine.boot().currentSlot() != machine.boot().committedSlot()) {
            return; // a trial or a fallback still to settle: nothing new until the device runs its committed slot
        }
        Optional<DesiredUpdate> d = offline.scan(machine.state());
        if (d.isPresent() && machine.offer(d.get())) {
            stopDownloads();
            httpFailedFor = null;
            download();
        }
    }

    private void download() throws IOException {
        String sha = machine.state().bundle().sha256();
        String url = machine.state().url();
        if (OfflineInstall.isOffline(url)) {
            try {
                offline.feed(machine.state(), slot, machine::verifiedManifest);
            } catch (FleetkitException e) { // a refusal with the download's code, or the file gone
                stopDownloads();
                if (machine.state().state() != UpdateState.FAILED) {
                    machine.fail(e.code(), e.getMessage());
                }
            }
            return;
        }
        if (url != null && !sha.equals(httpFailedFor)) {
            if (httpThread == null || !httpThread.isAlive()) {
                startHttp(url);
            }
            return;
        }
        if (chunks == null) {
            chunks = new ChunkDownload(sha, config.downloadWindow(), config.chunkTimeout(), clock, send, this::localChunks);
            if (machine.state().hasHeader()) {
                chunks.resumeAt(machine.verifiedManifest(), machine.state().chunksDone());
            }
        }
        if (online.getAsBoolean()) {
            chunks.ask();
        }
    }

    /**
     * What a delta update copies instead of downloading: the chunks of {@code v} that the running
     * slot holds, told to the server when the download starts (not again on each resume). Reading
     * the running slot is an optimisation: if it fails, everything is downloaded.
     */
    private LocalChunks localChunks(VerifiedManifest v, int next) {
        if (!config.downloadDelta()) {
            return LocalChunks.NONE;
        }
        try {
            LocalChunks local = machine.localChunks(v.manifest());
            long total = v.manifest().slotSize();
            String message = String.format("%d of %d chunks (%.1f of %.1f MiB) are on this device already; downloading %.1f MiB",
                    local.count(), v.manifest().chunkCount(), local.bytes() / 1048576.0, total / 1048576.0,
                    (total - local.bytes()) / 1048576.0);
            sink.info("agent", "delta update: " + message);
            if (next == 0) {
                machine.note("download.delta", message);
            }
            return local;
        } catch (IOException e) {
            sink.warn("agent", "delta update: cannot read the running slot (" + e.getMessage() + "); downloading every chunk");
            return LocalChunks.NONE;
        }
    }

    private void startHttp(String url) {
        try {
            VerifiedManifest v = machine.state().hasHeader() ? machine.verifiedManifest() : null;
            httpGeneration++;
            http = new HttpDownload(new URL(url), tls, machine.state().bundle(), v, machine.state().chunksDone(), loop,
                    new HttpReceiver(httpGeneration), this::localChunks);
            httpThread = new Thread(http, "fleet-agent-http-" + deviceId);
            httpThread.setDaemon(true);
            httpThread.start();
        } catch (MalformedURLException e) {
            fallBack("the desired update's url " + url + " is not a URL");
        }
    }

    private void fallBack(String why) {
        httpFailedFor = machine.state().bundle().sha256();
        http = null;
        httpGeneration++;
        String message = "HTTP download failed, falling back to MQTT chunks: " + why;
        sink.warn("agent", message);
        try {
            machine.note("download.http-failed", message);
        } catch (IOException e) {
            sink.warn("agent", "could not record the fallback: " + e.getMessage());
        }
        try {
            download();
        } catch (IOException e) {
            sink.warn("agent", "MQTT chunk download could not start: " + e.getMessage());
        }
    }

    private void stopDownloads() {
        chunks = null;
        httpGeneration++;
        if (http != null) {
            http.stop();
            http = null;
        }
    }

    /** Stops an HTTP download in flight (the agent is going down). */
    void stop() {
        stopDownloads();
    }

    void onDesired(byte[] payload) throws IOException {
        if (machine.offer(DesiredUpdate.decode(payload))) {
            stopDownloads();
            httpFailedFor = null;
            tick();
        }
    }

    void onFrame(byte[] payload) throws Exception {
        ChunkFrame f = ChunkFrame.decode(payload);
        if (chunks == null || machine.state().state() != UpdateState.DOWNLOADING || !f.bundle().equals(machine.state().bundle().sha256())) {
            return;
        }
        try {
            if (f.isError()) {
                stopDownloads();
                machine.fail(f.error(), "the server answered " + f.part().wire() + " " + f.index() + " with " + f.error());
            } else {
                chunks.onFrame(f, slot);
            }
        } catch (BundleRefusedException e) {
            refused(e);
        }
    }

    /** After a (re)connect: outstanding chunk requests are asked for again. */
    void reconnected() throws IOException {
        lastHealthAttempt = null; // a trial waiting for the broker checks again at once, not after the interval
        if (chunks != null) {
            chunks.reconnected();
        }
        tick();
    }

    private void refused(BundleRefusedException e) throws IOException {
        stopDownloads();
        if (machine.state().state() != UpdateState.FAILED) {
            machine.fail(e.code(), e.getMessage());
        }
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

    /** Writes what either download delivers into the slot through the state machine, and installs once the last chunk is recorded. */
    private final class SlotReceiver implements DownloadReceiver {
        @Override
        public VerifiedManifest header(byte[] bytes) throws IOException {
            return machine.acceptHeader(bytes);
        }

        @Override
        public boolean chunk(int index, byte[] data) throws IOException {
            if (machine.state().state() != UpdateState.DOWNLOADING || index != machine.state().chunksDone()) {
                return false;
            }
            machine.slotWriter().writeChunk(machine.verifiedManifest().manifest(), index, data, data.length);
            machine.chunksDone(index + 1);
            if (index + 1 < machine.verifiedManifest().manifest().chunkCount()) {
                return true;
            }
            stopDownloads();
            machine.install();
            return false;
        }
    }

    /** Checks on the agent's thread that the HTTP download is still the wanted one before acting on it. */
    private final class HttpReceiver implements HttpDownload.Receiver {
        private final int generation;

        HttpReceiver(int generation) {
            this.generation = generation;
        }

        private boolean current() {
            return http != null && generation == httpGeneration && machine.state().state() == UpdateState.DOWNLOADING;
        }

        @Override
        public VerifiedManifest header(byte[] bytes) throws IOException {
            return current() ? slot.header(bytes) : null;
        }

        @Override
        public boolean chunk(int index, byte[] data) throws IOException {
            return current() && slot.chunk(index, data);
        }

        @Override
        public void refused(BundleRefusedException e) throws IOException {
            if (current()) {
                UpdateDriver.this.refused(e);
            }
        }

        @Override
        public void failed(String why) {
            if (current()) {
                fallBack(why);
            }
        }
    }
}
