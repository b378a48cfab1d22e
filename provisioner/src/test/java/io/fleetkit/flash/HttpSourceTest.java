package io.fleetkit.flash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.fleetkit.events.EventSink;
import io.fleetkit.events.FleetkitException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Images streamed over HTTP, with the bmap fetched from beside them. */
class HttpSourceTest {

    @TempDir
    Path dir;

    @Test
    void flashesACompressedImageStreamedOverHttpWithTheBmapBesideIt() throws Exception {
        SyntheticImage img = SyntheticImage.create(dir, "gw-1.0.0", 64, 6, false, 41);
        Tools.ok(Tools.require("zstd", "zstd"), "-k", "-q", img.image().toString());
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            Path file = dir.resolve(exchange.getRequestURI().getPath().substring(1));
            if (!Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, Files.size(file));
                try (var out = exchange.getResponseBody()) {
                    Files.copy(file, out);
                }
            }
            exchange.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
            Path target = SyntheticImage.patternedTarget(dir.resolve("card"), img.size());
            ImageSource source = ImageSource.resolve(base + "gw-1.0.0.img.zst", null, false);
            assertEquals(base + "gw-1.0.0.img.bmap", source.bmapOrigin());
            new Flasher(EventSink.NONE).flash(source, target, FlashOptions.defaults());
            FlasherTest.assertMappedEqualAndRestUntouched(img.image(), target, img.mappedBlocks(), img.size());

            FleetkitException e = assertThrows(FleetkitException.class, () -> new Flasher(EventSink.NONE).flash(
                    ImageSource.resolve(base + "missing.img", null, true), dir.resolve("other"), FlashOptions.defaults()));
            assertEquals("flash.download", e.code());
            assertTrue(e.getMessage().contains("404"), e.getMessage());
        } finally {
            server.stop(0);
        }
    }
}
