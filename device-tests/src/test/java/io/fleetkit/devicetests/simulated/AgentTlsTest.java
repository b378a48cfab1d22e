package io.fleetkit.devicetests.simulated;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fleetkit.formats.mbr.MbrReader;
import io.fleetkit.identity.BootIdentityWriter;
import io.fleetkit.identity.DeviceCredentials;
import io.fleetkit.identity.DeviceSettings;
import io.fleetkit.keys.DeviceCertificateIssuer;
import io.fleetkit.keys.FleetKeys;
import io.fleetkit.keys.KeyPairs;
import io.fleetkit.keys.ServerCertificateIssuer;
import io.fleetkit.ota.bundle.PemKeys;
import io.fleetkit.ota.protocol.UpdateState;
import io.fleetkit.ota.server.FleetClient;
import io.fleetkit.ota.server.FleetServer;
import io.fleetkit.ota.server.rollout.Rollout;
import io.fleetkit.ota.server.rollout.RolloutRequest;
import io.fleetkit.ota.server.rollout.RolloutState;
import io.fleetkit.testsupport.Await;
import io.fleetkit.testsupport.Mosquitto;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real agents that reach the broker only over TLS with a client certificate from the fleet CA:
 * through the embedded broker's TLS listener and through a Mosquitto that requires certificates
 * (the server then connects over TLS too). One device is configured with PEM files, one only has
 * what the flasher put on its boot partition; a device whose certificate comes from another CA is
 * never admitted and never appears in the fleet.
 */
class AgentTlsTest {

    @TempDir
    Path dir;

    @Test
    void devicesWithFleetCertificatesUpdateThroughTheEmbeddedBrokersTlsListener() throws Exception {
        try (OtaFixture f = new OtaFixture(dir)) {
            FleetServer server = f.startServer(f.serverConfig());
            rollOutOverTls(f, server, server.deviceBrokerUrl());
        }
    }

    @Test
    void devicesWithFleetCertificatesUpdateThroughAMosquittoThatRequiresThem() throws Exception {
        try (OtaFixture f = new OtaFixture(dir)) {
            KeyPair serverKey = KeyPairs.ecP256();
            X509Certificate serverCert = new ServerCertificateIssuer(Clock.systemUTC())
                    .issue(f.keys, List.of("127.0.0.1", "localhost"), serverKey.getPublic());
            Mosquitto mosquitto = f.keepUntilLast(Mosquitto.startTls(dir.resolve("mosquitto"), pem(f.keys.caCertificate()),
                    pem(serverCert), PemKeys.privateKeyPem(serverKey.getPrivate())));
            // the server reaches this broker over TLS too, with its own identity (server.crt, CN fleet-server)
            FleetServer server = f.startServer(f.serverConfig().withBrokerUrl(mosquitto.url()));
            rollOutOverTls(f, server, mosquitto.url());
        }
    }

    private void rollOutOverTls(OtaFixture f, FleetServer server, String tlsUrl) throws Exception {
        server.bundles().publish(f.v2Bundle, Optional.empty());
        FleetKeys strangers = FleetKeys.init(dir.resolve("other-fleet-keys"), Clock.systemUTC());
        SimulatedFleet fleet = f.fleet(3, tlsUrl, (i, d) -> {
            if (i == 1) {
                // sim-001 as `fleet flash --identity` leaves it: key, certificate and CA on p1, no TLS config
                provisionOnBootPartition(d, f.keys);
                d.unset("tls.ca").unset("tls.cert").unset("tls.key");
            } else {
                // sim-002 trusts our CA but presents a certificate from another fleet's CA
                withCredentials(d, i == 2 ? strangers : f.keys, f.keys, d.id);
            }
        });
        FleetClient client = f.client();
        Await.until("sim-000 and sim-001 reporting 1.0.0 over TLS", Duration.ofSeconds(60),
                () -> OtaFixture.count(client.devices(), "1.0.0") == 2);

        Rollout r = client.createRollout(RolloutRequest.of("2.0.0"));
        Await.until("rollout FINISHED with both admitted devices COMMITTED", Duration.ofSeconds(120),
                () -> client.status(r.id()).rollout().state() == RolloutState.FINISHED
                        && SimulatedFleet.inState(fleet.devices.get(0), UpdateState.COMMITTED)
                        && SimulatedFleet.inState(fleet.devices.get(1), UpdateState.COMMITTED),
                () -> OtaFixture.summary(SimulatedRolloutTest.uncheckedStatus(client, r.id())) + "\n"
                        + fleet.describe(UpdateState.COMMITTED));

        assertEquals(List.of("sim-000", "sim-001"), client.devices().stream().map(d -> d.id()).sorted().toList(),
                "the device with a foreign certificate was never admitted");
        assertEquals(2, client.status(r.id()).totals().succeeded());
        Await.until("`fleet devices` showing 2.0.0 committed on slot B", Duration.ofSeconds(30),
                () -> client.devices().stream().filter(SimulatedRolloutTest::onV2).count() == 2);
        assertEquals(0, fleet.devices.get(2).reboots(), "the refused device never updated");
    }

    /** Puts a key, a certificate from the fleet CA and the CA on p1 with the flasher's own writer (no mounting). */
    private static void provisionOnBootPartition(SimulatedDevice d, FleetKeys keys) {
        DeviceCredentials credentials = DeviceCredentials.issue(keys, d.id, Clock.systemUTC());
        try (FileChannel ch = FileChannel.open(d.disk, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long p1 = MbrReader.read(d.disk).require(1, "boot").startByte();
            new BootIdentityWriter(credentials, DeviceSettings.none(), DeviceDisk.EPOCH).write(ch, p1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the device's key and certificate (issued by {@code issuer}) and the CA it trusts, and points the agent at them. */
    private static void withCredentials(SimulatedDevice d, FleetKeys issuer, FleetKeys trusted, String id) {
        try {
            Path tls = Files.createDirectories(d.dir.resolve("tls"));
            KeyPair pair = KeyPairs.ecP256();
            X509Certificate cert = new DeviceCertificateIssuer(Clock.systemUTC()).issue(issuer, id, pair.getPublic());
            Files.writeString(tls.resolve("device.key"), PemKeys.privateKeyPem(pair.getPrivate()));
            Files.writeString(tls.resolve("device.crt"), pem(cert));
            Files.writeString(tls.resolve("ca.crt"), pem(trusted.caCertificate()));
            d.set("tls.ca", tls.resolve("ca.crt").toString());
            d.set("tls.cert", tls.resolve("device.crt").toString());
            d.set("tls.key", tls.resolve("device.key").toString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(X509Certificate cert) throws Exception {
        return PemKeys.pem("CERTIFICATE", cert.getEncoded());
    }
}
