package io.fleetkit.ota.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fleetkit.events.EventSink;
import io.fleetkit.keys.FleetKeys;
import io.fleetkit.ota.bundle.PemKeys;
import io.fleetkit.ota.server.devices.BundleHttpServer;
import io.fleetkit.ota.server.bundles.BundleStore;
import io.fleetkit.ota.server.bundles.PublishedBundle;
import io.fleetkit.ota.server.db.Database;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundle store over HTTP, spoken to by the JDK's own HTTP client. */
class BundleHttpServerTest {

    @TempDir
    Path tmp;

    Database db;
    BundleHttpServer server;
    PublishedBundle bundle;
    byte[] bytes;
    final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void setUp() throws Exception {
        FleetKeys keys = TestFleet.keys(tmp);
        Path file = TestFleet.bundle(tmp, keys, "2.0.0", 2_000_000, TestFleet.BOARD, 200_000, 4096);
        db = Database.open(Database.h2Url(tmp.resolve("data")));
        BundleStore store = new BundleStore(db, tmp.resolve("data"), PemKeys.readPublicKey(tmp.resolve("keys").resolve(FleetKeys.SIGNING_PUB)),
                Clock.systemUTC(), EventSink.NONE);
        bundle = store.publish(file, Optional.empty());
        bytes = Files.readAllBytes(file);
        server = BundleHttpServer.start("127.0.0.1", 0, store, io.fleetkit.ota.server.metrics.ServerCounters.NONE, EventSink.NONE);
    }

    @AfterEach
    void tearDown() {
        server.close();
        db.close();
    }

    HttpResponse<byte[]> get(String path, String range) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        if (range != null) {
            b.header("Range", range);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void servesTheWholeBundleAndSingleRanges() throws Exception {
        String path = BundleHttpServer.PATH + bundle.sha256();
        HttpResponse<byte[]> whole = get(path, null);
        assertEquals(200, whole.statusCode());
        assertArrayEquals(bytes, whole.body());

        HttpResponse<byte[]> part = get(path, "bytes=100-4195");
        assertEquals(206, part.statusCode());
        assertEquals("bytes 100-4195/" + bytes.length, part.headers().firstValue("Content-Range").orElseThrow());
        assertArrayEquals(Arrays.copyOfRange(bytes, 100, 4196), part.body());

        HttpResponse<byte[]> tail = get(path, "bytes=" + (bytes.length - 10) + "-");
        assertArrayEquals(Arrays.copyOfRange(bytes, bytes.length - 10, bytes.length), tail.body());
        assertArrayEquals(Arrays.copyOfRange(bytes, bytes.length - 7, bytes.length), get(path, "bytes=-7").body());
    }

    @Test
    void ignoresARangeHeaderOutsideTheGrammarAndSendsTheWholeBundle() throws Exception {
        HttpResponse<byte[]> r = get(BundleHttpServer.PATH + bundle.sha256(), "bytes=abc");
        assertEquals(200, r.statusCode());
        assertArrayEquals(bytes, r.body());
    }

    @Test
    void refusesRangesPastTheEndAndNamesThatAreNotPublishedBundles() throws Exception {
        assertEquals(416, get(BundleHttpServer.PATH + bundle.sha256(), "bytes=" + bytes.length + "-").statusCode());
        assertEquals(416, get(BundleHttpServer.PATH + bundle.sha256(), "bytes=5-2").statusCode());
        assertEquals(404, get(BundleHttpServer.PATH + "0".repeat(64), null).statusCode());
        assertEquals(404, get(BundleHttpServer.PATH + "..%2F..%2Ffleet.mv.db", null).statusCode());
        assertEquals(404, get(BundleHttpServer.PATH + bundle.path(), null).statusCode());
        assertEquals(404, get("/bundles/", null).statusCode());
    }
}
