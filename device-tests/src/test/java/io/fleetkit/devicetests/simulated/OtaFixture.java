package io.fleetkit.devicetests.simulated;

import io.fleetkit.build.VersionNumber;
import io.fleetkit.events.EventSink;
import io.fleetkit.keys.FleetKeys;
import io.fleetkit.keys.ServerKeys;
import io.fleetkit.ota.protocol.ServerIds;
import io.fleetkit.ota.bundle.BundleRelease;
import io.fleetkit.ota.bundle.BundleWriter;
import io.fleetkit.ota.server.FleetClient;
import io.fleetkit.ota.server.FleetServer;
import io.fleetkit.ota.server.FleetServerConfig;
import io.fleetkit.ota.server.LocalFleetClient;
import io.fleetkit.ota.server.db.DeviceRecord;
import io.fleetkit.ota.server.rollout.RolloutStatus;
import io.fleetkit.testsupport.Mosquitto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What every simulated-fleet test needs: fleet keys from {@code FleetKeys.init}, the v1 slot image
 * the devices start with, a signed v2 bundle, a fleet server (embedded broker by default) on a
 * free loopback port, and a {@link FleetClient} on its data directory (what {@code fleet devices}
 * and {@code fleet rollout status} read). Closes what it started, newest first.
 */
final class OtaFixture implements AutoCloseable {

    /** The "kernel" in each slot image: the images come out just under 2 MiB. */
    static final int KERNEL_BYTES = (2 << 20) - (128 << 10);
    static final int CHUNK = 64 * 1024;

    final Path dir;
    final Path keyDir;
    final FleetKeys keys;
    final byte[] v1Slot;
    final Path v2Bundle;
    final int port;
    private final List<AutoCloseable> open = new ArrayList<>();

    OtaFixture(Path dir) throws Exception {
        this(dir, CHUNK);
    }

    OtaFixture(Path dir, int chunkSize) throws Exception {
        this.dir = dir;
        this.keyDir = dir.resolve("keys");
        this.keys = FleetKeys.init(keyDir, Clock.systemUTC());
        ServerKeys.issue(keys, keyDir, ServerIds.DEFAULT, List.of("localhost", "127.0.0.1"), Duration.ofDays(30), false, Clock.systemUTC());
        this.v1Slot = SlotImage.of("1.0.0", KERNEL_BYTES, DeviceDisk.small().slotBytes());
        this.v2Bundle = bundle("2.0.0", chunkSize);
        this.port = Mosquitto.freePort();
    }

    /** A signed bundle of a slot image whose {@code slot.json} says {@code version}. */
    Path bundle(String version, int chunkSize) throws Exception {
        Path slot = SlotImage.write(dir.resolve("slots").resolve(version + ".img"), version, KERNEL_BYTES, DeviceDisk.small().slotBytes());
        BundleRelease release = BundleRelease.of("gateway", version, SimulatedDevice.BOARD, VersionNumber.of(version),
                Instant.now().minusSeconds(60)).withChunkSize(chunkSize);
        return BundleWriter.writeFile(release, slot, keys.signingKey(), Files.createDirectories(dir.resolve("out")));
    }

    /** The client id and CN of a broker-side witness: a server identity, since only servers may read every device's topics. */
    static final String WITNESS = "fleet-server-witness";

    /** TLS presenting the witness's server identity from this fleet's CA, trusting the CA. */
    javax.net.ssl.SSLSocketFactory witnessSockets() {
        java.security.KeyPair p = io.fleetkit.keys.KeyPairs.ecP256();
        java.security.cert.X509Certificate c = new io.fleetkit.keys.ServerCertificateIssuer(Clock.systemUTC())
                .issueIdentity(keys, WITNESS, List.of("localhost"), p.getPublic(), Duration.ofDays(1));
        return io.fleetkit.ota.server.broker.TlsSockets.client(p.getPrivate(), c, keys.caCertificate());
    }

    Path signingPub() {
        return keyDir.resolve(FleetKeys.SIGNING_PUB);
    }

    /**
     * {@code fleet server} defaults (embedded broker, devices on TLS with their certificates, H2 in the data directory),
     * on loopback, ticking every 200 ms. Simulated devices on an {@code ssl://} URL get identities from {@link #keyDir}.
     */
    FleetServerConfig serverConfig() {
        return FleetServerConfig.defaults(dir.resolve("fleet-data")).withKeyDir(keyDir).withListen("127.0.0.1", port)
                .withTickInterval(Duration.ofMillis(200));
    }

    FleetServer startServer(FleetServerConfig config) throws Exception {
        return keep(FleetServer.start(config, EventSink.NONE));
    }

    SimulatedFleet fleet(int n, String brokerUrl, SimulatedFleet.Tweak tweak) throws Exception {
        return keep(SimulatedFleet.start(dir.resolve("devices"), n, v1Slot, signingPub(), brokerUrl, tweak));
    }

    FleetClient client() throws Exception {
        return keep(LocalFleetClient.open(serverConfig().dataDir(), null, keyDir, Clock.systemUTC(), EventSink.NONE));
    }

    <T extends AutoCloseable> T keep(T c) {
        open.add(c);
        return c;
    }

    /** Keeps {@code c} to be closed after everything else (a broker others still talk to). */
    <T extends AutoCloseable> T keepUntilLast(T c) {
        open.add(0, c);
        return c;
    }

    /** Closes {@code c} now (a server stopped mid-test). */
    void stop(AutoCloseable c) throws Exception {
        open.remove(c);
        c.close();
    }

    static long count(List<DeviceRecord> devices, String version) {
        return devices.stream().filter(d -> version.equals(d.version())).count();
    }

    static String summary(RolloutStatus s) {
        return s.rollout().state() + " phase " + (s.rollout().currentPhase() + 1) + "/" + s.rollout().phaseCount() + " "
                + s.totals() + (s.rollout().reason() == null ? "" : " (" + s.rollout().reason() + ")");
    }

    @Override
    public void close() throws Exception {
        Exception first = null;
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        open.clear();
        if (first != null) {
            throw first;
        }
    }
}
