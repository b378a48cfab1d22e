package io.fleetkit.ota.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fleetkit.events.EventSink;
import io.fleetkit.keys.DeviceCertificateIssuer;
import io.fleetkit.keys.FleetKeys;
import io.fleetkit.keys.KeyPairs;
import io.fleetkit.ota.server.broker.TlsSockets;
import io.fleetkit.testsupport.Await;
import io.fleetkit.testsupport.Mosquitto;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded broker's TLS listener (the default) admits clients with a fleet-CA certificate only. */
class BrokerTlsTest {

    @TempDir
    Path tmp;

    @Test
    void admitsDevicesWithAFleetCertificateAndRefusesOthers() throws Exception {
        FleetKeys keys = TestFleet.keys(tmp);
        int tlsPort = Mosquitto.freePort();
        FleetServerConfig config = FleetServerConfig.defaults(tmp.resolve("data")).withKeyDir(tmp.resolve("keys"))
                .withListen("127.0.0.1", tlsPort).withTickInterval(Duration.ofMillis(100));
        try (FleetServer server = FleetServer.start(config, EventSink.NONE)) {
            KeyPair device = KeyPairs.ecP256();
            var cert = new DeviceCertificateIssuer(Clock.systemUTC()).issue(keys, "gw-001", device.getPublic());
            MqttClient good = new MqttClient("ssl://localhost:" + tlsPort, "gw-001", new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setSocketFactory(TlsSockets.client(device.getPrivate(), cert, keys.caCertificate()));
            good.connect(o);
            good.publish(server.topics().state("gw-001"), TestFleet.report("gw-001", "1.0.0",
                    io.fleetkit.ota.protocol.UpdateState.IDLE, null).encode(), 1, true);
            Await.until("report over TLS", Duration.ofSeconds(30), () -> server.database().transaction(
                    c -> new io.fleetkit.ota.server.db.DeviceStore().find(c, "gw-001")).isPresent());
            good.disconnect();
            good.close();

            FleetKeys other = FleetKeys.init(tmp.resolve("other-keys"), Clock.systemUTC());
            KeyPair stranger = KeyPairs.ecP256();
            var foreign = new DeviceCertificateIssuer(Clock.systemUTC()).issue(other, "gw-002", stranger.getPublic());
            MqttClient bad = new MqttClient("ssl://localhost:" + tlsPort, "gw-002", new MemoryPersistence());
            MqttConnectOptions ob = new MqttConnectOptions();
            // trusts the fleet CA, but presents a certificate from another CA
            ob.setSocketFactory(TlsSockets.client(stranger.getPrivate(), foreign, keys.caCertificate()));
            assertThrows(MqttException.class, () -> bad.connect(ob));
            bad.close();
            assertEquals("1.0.0", server.database().transaction(
                    c -> new io.fleetkit.ota.server.db.DeviceStore().find(c, "gw-001")).orElseThrow().version());
        }
    }
}
