package io.fleetkit.ota.agent;

import io.fleetkit.events.EventSink;
import io.fleetkit.events.FleetkitException;
import io.fleetkit.ota.bundle.BundleHeader;
import io.fleetkit.ota.bundle.BundleManifest;
import io.fleetkit.ota.bundle.BundleReader;
import io.fleetkit.ota.bundle.BundleRefusal;
import io.fleetkit.ota.bundle.BundleRefusedException;
import io.fleetkit.ota.bundle.ManifestJson;
import io.fleetkit.ota.bundle.VerifiedManifest;
import io.fleetkit.ota.protocol.BundleRef;
import io.fleetkit.ota.protocol.DesiredUpdate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Installing a bundle dropped on the device (a USB stick, the SD card's boot partition, a service
 * laptop) instead of downloaded: {@link #scan} turns a new bundle found in the {@link OfflineBundleSource}
 * into a desired update of a rollout {@value #ROLLOUT}-TIME, which goes through the same
 * {@link UpdateStateMachine} as a download — header verified by {@link BundleCheck} (signature,
 * board, expiry, anti-rollback, slot size), each chunk against the signed manifest, slot read
 * back, trial armed, reboot — and {@link #feed} plays the part of the download, reading the file.
 * <p>
 * A signed bundle that is not newer than the committed version is ignored (it is what a card
 * still holds after its update was installed), said once per agent run. A bundle that was refused
 * or whose trial failed is remembered by its SHA-256 in {@code <data>/offline-refused} and never
 * tried again, so a bad file does not loop install attempts across reboots. Nothing from the file
 * is trusted before it verifies: sizes are bounded by the largest slot before the file is read.
 */
final class OfflineInstall {

    /** Rollout ids of offline updates: this and the time it was found, so a file put back after it went missing is a new attempt. */
    static final String ROLLOUT = "offline";
    /** The failure when the file went away (or changed) before it was installed: not a verdict on the bundle, so not remembered. */
    static final String GONE = "offline.file-gone";
    /** The desired update's {@code url} for a bundle from a file: this prefix and the candidate's name. */
    static final String URL_PREFIX = "offline:";
    private static final Duration INTERVAL = Duration.ofSeconds(10);
    private static final int MAX_REMEMBERED = 32;
    private static final int PEEK = 64 * 1024;

    private final OfflineBundleSource source;
    private final List<PublicKey> trusted;
    private final long maxBytes;
    private final Path refusedFile;
    private final Clock clock;
    private final EventSink sink;
    /** Candidates looked at in this run (name, size, digest of the header): each is judged and logged once. */
    private final Set<String> seen = new HashSet<>();
    private final Set<String> refused;
    private Instant lastScan;
    private boolean scanned;

    /** {@code maxBytes}: the largest file looked at (the largest slot and a header). */
    OfflineInstall(OfflineBundleSource source, List<PublicKey> trusted, long maxBytes, Path dataDir, Clock clock, EventSink sink)
            throws IOException {
        this.source = source;
        this.trusted = List.copyOf(trusted);
        this.maxBytes = maxBytes;
        this.refusedFile = dataDir.resolve("offline-refused");
        this.clock = clock;
        this.sink = sink;
        this.refused = new LinkedHashSet<>();
        if (Files.isRegularFile(refusedFile) && Files.size(refusedFile) < 64 * 1024) {
            for (String line : Files.readAllLines(refusedFile, StandardCharsets.US_ASCII)) {
                if (line.matches("[0-9a-f]{64}")) {
                    refused.add(line);
                }
            }
        }
    }

    static boolean isOffline(String url) {
        return url != null && url.startsWith(URL_PREFIX);
    }

    /**
     * At the agent's start and then every 10 s: the first new bundle worth installing, if any.
     * {@code state}: the agent's saved state (an offline update that failed is remembered from it).
     */
    Optional<DesiredUpdate> scan(AgentState state) throws IOException {
        settled(state);
        if (!due()) {
            return Optional.empty();
        }
        lastScan = clock.instant();
        scanned = true;
        for (OfflineBundleSource.Candidate c : source.candidates()) {
            Optional<DesiredUpdate> d = judge(c, state.committedVersionNumber());
            if (d.isPresent()) {
                return d;
            }
        }
        return Optional.empty();
    }

    /** Remembers an offline update that failed or rolled back (not one whose file went away), so it is never tried again. */
    void settled(AgentState state) throws IOException {
        if (state.state().isFailure() && isOffline(state.url()) && state.bundle() != null && !GONE.equals(state.reason())) {
            remember(state.bundle().sha256());
        }
    }

    /**
     * Whether a scan is due: every 10 s for a path on the device (a stick may come at any time); once per
     * agent start for the boot partition, which changes only while the card is out of the device (or
     * after the file went away during an install). Cheap: the agent asks on every idle tick.
     */
    boolean due() {
        if (scanned && !source.changesWhileRunning()) {
            return false;
        }
        return lastScan == null || !clock.instant().isBefore(lastScan.plus(INTERVAL));
    }

    private Optional<DesiredUpdate> judge(OfflineBundleSource.Candidate c, long committed) throws IOException {
        BundleHeader header = null;
        String key;
        try (InputStream in = c.open()) {
            header = BundleReader.readHeader(in);
            key = c.name() + " " + c.size() + " " + sha256(header.manifestBytes(), header.signature());
        } catch (BundleRefusedException e) {
            try (InputStream in = c.open()) {
                key = c.name() + " " + c.size() + " " + sha256(in.readNBytes(PEEK));
            }
            if (seen.add(key)) {
                sink.warn("agent", "offline bundle " + c.name() + " refused: " + e.code() + ": " + e.getMessage());
            }
            return Optional.empty();
        }
        if (!seen.add(key)) {
            return Optional.empty();
        }
        if (c.size() > maxBytes) {
            sink.warn("agent", "offline bundle " + c.name() + " refused: " + BundleRefusal.SLOT_TOO_SMALL.code() + ": it is "
                    + c.size() + " bytes, more than the largest slot holds with its header (" + maxBytes + ")");
            return Optional.empty();
        }
        VerifiedManifest v = verifiedOrNull(header);
        if (v != null && v.manifest().versionNumber() <= committed) {
            sink.info("agent", "offline bundle " + c.name() + " holds " + v.manifest().version() + " (" + v.manifest().versionNumber()
                    + "), not newer than the committed " + committed + ": ignored");
            return Optional.empty();
        }
        String sha = digest(c);
        if (refused.contains(sha)) {
            sink.info("agent", "offline bundle " + c.name() + " (sha256 " + sha.substring(0, 12) + ") was refused before: not tried again");
            return Optional.empty();
        }
        // An unverified header still goes to the state machine: it refuses it with the download's codes and tells the server.
        BundleManifest m = v != null ? v.manifest() : unverified(header);
        long headerSize = header.payloadOffset();
        if (c.size() <= headerSize) {
            sink.warn("agent", "offline bundle " + c.name() + " refused: " + BundleRefusal.TRUNCATED.code() + ": no slot image after its header");
            remember(sha);
            return Optional.empty();
        }
        int chunkSize = m != null ? m.chunkSize() : BundleManifest.DEFAULT_CHUNK_SIZE;
        int chunks = (int) ((c.size() - headerSize + chunkSize - 1) / chunkSize);
        String version = m != null ? m.version() : "unverified";
        sink.info("agent", "offline bundle " + c.name() + ": " + version + " (sha256 " + sha.substring(0, 12) + "), installing it");
        return Optional.of(new DesiredUpdate(version, m != null ? m.versionNumber() : 0, ROLLOUT + "-" + clock.millis(),
                new BundleRef(sha, c.size(), headerSize, chunkSize, chunks), URL_PREFIX + c.name()));
    }

    /**
     * Plays the download for the offline update in {@code state}: the header (unless saved already),
     * then every chunk from {@code state.chunksDone()}, each verified against the signed manifest
     * before {@code receiver} writes it. Refusals are thrown as {@link BundleRefusedException}.
     */
    void feed(AgentState state, DownloadReceiver receiver, java.util.function.Supplier<VerifiedManifest> saved) throws IOException {
        String name = state.url().substring(URL_PREFIX.length());
        OfflineBundleSource.Candidate c = source.find(name).orElse(null);
        BundleRef ref = state.bundle();
        if (c == null || c.size() != ref.size()) {
            seen.clear(); // when it is back, it is judged again
            scanned = false;
            throw new FleetkitException(GONE, "the offline bundle " + name + (c == null ? " is gone" : " changed size")
                    + " before it was installed", "Put the bundle back; the agent installs it again from the start.");
        }
        try (InputStream in = c.open()) {
            VerifiedManifest v;
            if (state.hasHeader()) {
                v = saved.get();
                in.skipNBytes(ref.headerSize());
            } else {
                byte[] header = in.readNBytes((int) ref.headerSize());
                v = receiver.header(header);
                if (v == null) {
                    return;
                }
            }
            int first = state.chunksDone();
            in.skipNBytes((long) first * v.manifest().chunkSize());
            var verifier = v.chunkVerifier();
            for (int i = first; i < v.manifest().chunkCount(); i++) {
                byte[] data = in.readNBytes(v.manifest().chunkLength(i));
                if (data.length != v.manifest().chunkLength(i)) {
                    throw new BundleRefusedException(BundleRefusal.TRUNCATED, "the offline bundle " + name + " ends inside chunk " + i);
                }
                verifier.verify(i, data);
                if (!receiver.chunk(i, data)) {
                    return;
                }
            }
        }
    }

    private VerifiedManifest verifiedOrNull(BundleHeader header) {
        try {
            return BundleReader.verify(header, trusted);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static BundleManifest unverified(BundleHeader header) {
        try {
            return ManifestJson.decode(header.manifestBytes());
        } catch (RuntimeException e) {
            return null;
        }
    }

    private void remember(String sha) throws IOException {
        if (!refused.add(sha)) {
            return;
        }
        List<String> keep = new ArrayList<>(refused);
        while (keep.size() > MAX_REMEMBERED) {
            refused.remove(keep.remove(0));
        }
        Files.createDirectories(refusedFile.getParent());
        AtomicFile.write(refusedFile, (String.join("\n", keep) + "\n").getBytes(StandardCharsets.US_ASCII), true);
    }

    private String digest(OfflineBundleSource.Candidate c) throws IOException {
        MessageDigest md = sha256();
        byte[] buf = new byte[1 << 20];
        try (InputStream in = c.open()) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static String sha256(byte[]... parts) {
        MessageDigest md = sha256();
        for (byte[] p : parts) {
            md.update(p);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
