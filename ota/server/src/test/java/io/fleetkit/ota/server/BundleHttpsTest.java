package io.fleetkit.ota.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fleetkit.events.EventSink;
import io.fleetkit.keys.DeviceCertificateIssuer;
import io.fleetkit.keys.FleetKeys;
import io.fleetkit.keys.KeyPairs;
import io.fleetkit.ota.protocol.UpdateState;
import io.fleetkit.ota.server.broker.TlsSockets;
import io.fleetkit.ota.server.bundles.PublishedBundle;
import io.fleetkit.ota.server.db.DeviceStore;
import io.fleetkit.ota.server.devices.BundleHttpServer;
import io.fleetkit.ota.server.rollout.RolloutRequest;
import io.fleetkit.testsupport.Mosquitto;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTPS bundle port: a device's certificate required, only the bundles offered to that device, and bounded in time. */
class BundleHttpsTest {

    @TempDir
    Path tmp;

    @Test
    void servesADeviceOnlyWhatItWasOfferedAndNothingWithoutACertificateWhateverHangsOnThePort() throws Exception {
        FleetKeys keys = TestFleet.keys(tmp);
        Path file = TestFleet.bundle(tmp, keys, "2.0.0", 2_000_000, TestFleet.BOARD, 50_000, 4096);
        byte[] bytes = Files.readAllBytes(file);
        FleetServerConfig config = FleetServerConfig.defaults(tmp.resolve("data")).withKeyDir(TestFleet.serverOnlyKeys(tmp))
                .withListen("127.0.0.1", Mosquitto.freePort()).withHttp(0, null).withTickInterval(Duration.ofMillis(100));
        try (FleetServer server = FleetServer.start(config, EventSink.NONE)) {
            PublishedBundle b = server.bundles().publish(file, Optional.empty());
            server.database().transaction(c -> {
                new DeviceStore().applyReport(c, TestFleet.report("gw-1", "1.0.0", UpdateState.IDLE, null), Instant.now());
                new DeviceStore().setOnline(c, "gw-1", true, Instant.now());
                return null;
            });
            server.rollouts().create(RolloutRequest.of("2.0.0")); // gw-1, the one device
            server.tick();
            String url = "https://localhost:" + server.bundleHttpPort().orElseThrow() + BundleHttpServer.PATH + b.sha256();
            // six connections that connect and send nothing, and six that stop in the middle of a request head
            List<Socket> hanging = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                hanging.add(new Socket("127.0.0.1", server.bundleHttpPort().orElseThrow()));
                Socket partial = new Socket("127.0.0.1", server.bundleHttpPort().orElseThrow());
                partial.getOutputStream().write(new byte[] {0x16, 0x03, 0x01});
                hanging.add(partial);
            }
            try {
                HttpResponse<byte[]> offered = get(client(keys, "gw-1"), url, "bytes=100-4195");
                assertEquals(206, offered.statusCode());
                assertArrayEquals(Arrays.copyOfRange(bytes, 100, 4196), offered.body());
                assertEquals(404, get(client(keys, "gw-2"), url, null).statusCode(), "gw-2 was not offered the bundle");
                assertThrows(IOException.class, () -> get(HttpClient.newBuilder().sslContext(TestFleet.trustOnly(keys.caCertificate())).build(), url, null),
                        "no certificate, no bundle");
            } finally {
                for (Socket s : hanging) {
                    s.close();
                }
            }
        }
    }

    static HttpResponse<byte[]> get(HttpClient client, String url, String range) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
        if (range != null) {
            r.header("Range", range);
        }
        return client.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** An HTTPS client presenting a fresh certificate for device {@code id} from the fleet CA. */
    static HttpClient client(FleetKeys keys, String id) {
        KeyPair pair = KeyPairs.ecP256();
        SSLContext ctx = TlsSockets.context(pair.getPrivate(), new DeviceCertificateIssuer(Clock.systemUTC()).issue(keys, id, pair.getPublic()),
                keys.caCertificate());
        return HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(10)).build();
    }
}
