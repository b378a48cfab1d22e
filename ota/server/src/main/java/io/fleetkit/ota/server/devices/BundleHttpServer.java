package io.fleetkit.ota.server.devices;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fleetkit.events.EventSink;
import io.fleetkit.ota.protocol.HttpRange;
import io.fleetkit.ota.server.bundles.BundleStore;
import io.fleetkit.ota.server.bundles.PublishedBundle;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * Serves published bundles read-only over HTTP at {@code /bundles/<sha256>}, with single
 * {@code Range} requests (206), so a device can resume a download where its verified prefix
 * ends. Only names that are a published bundle's SHA-256 map to a file, and only through the
 * bundle store, so nothing outside the store can be reached. GET and HEAD only.
 */
public final class BundleHttpServer implements AutoCloseable {

    /** The path prefix under which bundles are served. */
    public static final String PATH = "/bundles/";

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final HttpServer http;
    private final ExecutorService workers;
    private final BundleStore store;
    private final EventSink sink;

    private BundleHttpServer(HttpServer http, ExecutorService workers, BundleStore store, EventSink sink) {
        this.http = http;
        this.workers = workers;
        this.store = store;
        this.sink = sink;
    }

    /** Listens on {@code host:port} (0 for any free port). */
    public static BundleHttpServer start(String host, int port, BundleStore store, EventSink sink) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 64);
        ExecutorService workers = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "fleet-http");
            t.setDaemon(true);
            return t;
        });
        BundleHttpServer server = new BundleHttpServer(http, workers, store, sink);
        http.createContext(PATH, server::handle);
        http.setExecutor(workers);
        http.start();
        return server;
    }

    public int port() {
        return http.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            boolean head = ex.getRequestMethod().equals("HEAD");
            if (!head && !ex.getRequestMethod().equals("GET")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                ex.sendResponseHeaders(405, -1);
                return;
            }
            String name = ex.getRequestURI().getPath().substring(PATH.length());
            Optional<PublishedBundle> bundle = SHA256.matcher(name).matches() ? lookUp(name) : Optional.empty();
            if (bundle.isEmpty()) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            serve(ex, bundle.get(), head);
        } catch (IOException e) {
            sink.debug("http", "serving " + ex.getRequestURI() + " to " + ex.getRemoteAddress() + " ended: " + e.getMessage());
        }
    }

    private Optional<PublishedBundle> lookUp(String sha256) {
        try {
            return store.bySha256(sha256);
        } catch (SQLException e) {
            sink.warn("http", "bundle lookup failed: " + e.getMessage());
            return Optional.empty();
        }
    }

    private void serve(HttpExchange ex, PublishedBundle b, boolean head) throws IOException {
        try (FileChannel ch = FileChannel.open(store.file(b), StandardOpenOption.READ)) {
            long size = ch.size();
            HttpRange range = HttpRange.decide(ex.getRequestHeaders().getFirst("Range"), size);
            ex.getResponseHeaders().set("Accept-Ranges", "bytes");
            ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
            ex.getResponseHeaders().set("ETag", "\"" + b.sha256() + "\"");
            range.contentRange().ifPresent(v -> ex.getResponseHeaders().set("Content-Range", v));
            if (range.status() == 416) {
                ex.sendResponseHeaders(416, -1);
                return;
            }
            if (head) {
                ex.getResponseHeaders().set("Content-Length", Long.toString(range.length()));
                ex.sendResponseHeaders(range.status(), -1);
                return;
            }
            ex.sendResponseHeaders(range.status(), range.length() == 0 ? -1 : range.length());
            OutputStream out = ex.getResponseBody();
            var target = Channels.newChannel(out);
            long pos = range.first();
            long end = range.first() + range.length();
            while (pos < end) {
                long n = ch.transferTo(pos, end - pos, target);
                if (n <= 0) {
                    throw new IOException(store.file(b) + " ended at " + pos + " of its " + size + " bytes");
                }
                pos += n;
            }
        }
    }

    @Override
    public void close() {
        http.stop(0);
        workers.shutdownNow();
    }
}
