package io.fleetkit.ota.server;

import io.fleetkit.keys.DeviceCertificateIssuer;
import io.fleetkit.keys.FleetKeys;
import io.fleetkit.keys.KeyPairs;
import io.fleetkit.keys.ServerKeys;
import io.fleetkit.ota.protocol.ServerIds;
import io.fleetkit.ota.server.broker.TlsSockets;
import java.security.KeyPair;
import javax.net.ssl.SSLSocketFactory;
import io.fleetkit.ota.bundle.BundleRelease;
import io.fleetkit.ota.bundle.BundleWriter;
import io.fleetkit.ota.protocol.DeviceReport;
import io.fleetkit.ota.protocol.UpdateState;
import io.fleetkit.ota.protocol.UpdateStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/** Keys, bundles, reports and a hand-driven clock for the server tests. */
public final class TestFleet {

    static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");
    public static final String BOARD = "qemu-arm64";
    static final AtomicLong DB_COUNTER = new AtomicLong();

    private TestFleet() {
    }

    /**
     * The fleet's keys in {@code dir/keys}, with the server's identity (server.crt/server.key for localhost and
     * 127.0.0.1) beside them. The CA and certificates are issued now (TLS peers check validity against the real clock).
     */
    public static FleetKeys keys(Path dir) throws IOException {
        FleetKeys keys = FleetKeys.init(dir.resolve("keys"), Clock.systemUTC());
        ServerKeys.issue(keys, dir.resolve("keys"), ServerIds.DEFAULT, List.of("localhost", "127.0.0.1"), Duration.ofDays(30), false,
                Clock.systemUTC());
        return keys;
    }

    /** The directory the online server gets: only ca.crt, signing.pub, server.crt and server.key (no signing.key, no ca.key). */
    public static Path serverOnlyKeys(Path dir) throws IOException {
        Path out = Files.createDirectories(dir.resolve("server-keys"));
        for (String name : ServerKeys.FILES) {
            Files.copy(dir.resolve("keys").resolve(name), out.resolve(name), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
        return out;
    }

    /** TLS sockets presenting a fresh certificate for {@code deviceId} from {@code keys}' CA, trusting only that CA. */
    static SSLSocketFactory deviceSockets(FleetKeys keys, String deviceId) {
        KeyPair pair = KeyPairs.ecP256();
        return TlsSockets.client(pair.getPrivate(), new DeviceCertificateIssuer(Clock.systemUTC()).issue(keys, deviceId, pair.getPublic()),
                keys.caCertificate());
    }

    public static String memoryDb() {
        return "jdbc:h2:mem:fleet" + DB_COUNTER.incrementAndGet() + ";DB_CLOSE_DELAY=-1";
    }

    /** A bundle of {@code version} for {@code board} with a slot of {@code slotBytes} seeded random bytes in 4 KiB chunks. */
    public static Path bundle(Path dir, FleetKeys keys, String version, long versionNumber, String board, int slotBytes, int chunkSize) throws IOException {
        Path slot = dir.resolve("slot-" + version + "-" + board + ".img");
        byte[] data = new byte[slotBytes];
        new Random(versionNumber * 31 + board.hashCode()).nextBytes(data);
        Files.write(slot, data);
        BundleRelease release = BundleRelease.of("gateway", version, board, versionNumber, T0.minus(Duration.ofHours(1)))
                .withChunkSize(chunkSize);
        return BundleWriter.writeFile(release, slot, keys.signingKey(), dir.resolve("out-" + board));
    }

    public static DeviceReport report(String id, String version, UpdateState state, String target) {
        Map<String, String> slots = new LinkedHashMap<>();
        slots.put("A", version);
        slots.put("B", null);
        return new DeviceReport(id, BOARD, version, versionNumber(version), "A", slots,
                new UpdateStatus(state, target, 0.0, state.isFailure() ? "health.check-failed" : null), 1 << 30, 10, "0.1.0", List.of());
    }

    /** TLS that trusts the fleet CA and presents no certificate: an anonymous client. */
    public static javax.net.ssl.SSLContext trustOnly(java.security.cert.X509Certificate ca) throws Exception {
        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    static long versionNumber(String version) {
        String[] p = version.split("\\.");
        return Long.parseLong(p[0]) * 1_000_000 + Long.parseLong(p[1]) * 1000 + Long.parseLong(p[2]);
    }
}
