package io.fleetkit.netboot.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fleetkit.events.EventSink;
import io.fleetkit.netboot.BootFiles;
import io.fleetkit.netboot.PortBinding;
import io.fleetkit.netboot.ServedFile;
import io.fleetkit.ota.protocol.HttpRange;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves the same names as TFTP over HTTP (UEFI HTTP boot, U-Boot {@code wget}, iPXE, Pi 4/5
 * HTTP boot), GET and HEAD, with single byte ranges. One event line per request.
 */
public final class HttpBootServer implements AutoCloseable {

    private static final String TASK = "http";
    private final EventSink sink;
    private BootFiles files;
    private HttpServer server;
    private ExecutorService executor;

    public HttpBootServer(EventSink sink) {
        this.sink = sink;
    }

    /**
     * Binds {@code address:port} (address null = all) and returns the bound port. Serving starts
     * with {@link #serve}: the files' boot scripts need the URL, which needs the port.
     */
    public int bind(InetAddress address, int port) throws IOException {
        try {
            server = HttpServer.create(new InetSocketAddress(address, port), 64);
        } catch (IOException e) {
            throw PortBinding.failure("HTTP", "tcp", address, port, e);
        }
        executor = Executors.newFixedThreadPool(32, r -> {
            Thread t = new Thread(r, "http-boot");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        return server.getAddress().getPort();
    }

    public void serve(BootFiles files) {
        this.files = files;
        server.createContext("/", this::handle);
        server.start();
    }

    private void handle(HttpExchange ex) throws IOException {
        long start = System.nanoTime();
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getPath();
        int status;
        long sent = 0;
        try (ex) {
            if (!method.equals("GET") && !method.equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                status = text(ex, 405, "only GET and HEAD are served\n");
            } else {
                Optional<ServedFile> file = files.resolve(path == null ? "" : path, ex.getRemoteAddress().getAddress());
                if (file.isEmpty()) {
                    status = text(ex, 404, "not found\n");
                } else {
                    long[] result = send(ex, file.get(), method.equals("HEAD"));
                    status = (int) result[0];
                    sent = result[1];
                }
            }
        } catch (RuntimeException e) {
            sink.warn(TASK, ex.getRemoteAddress().getAddress().getHostAddress() + " " + method + " " + path
                    + " failed: " + e);
            throw e;
        }
        sink.info(TASK, ex.getRemoteAddress().getAddress().getHostAddress() + " " + method + " " + path + " "
                + status + " " + sent + " bytes in " + (System.nanoTime() - start) / 1_000_000 + " ms");
    }

    /** Returns {status, body bytes sent}. */
    private static long[] send(HttpExchange ex, ServedFile file, boolean head) throws IOException {
        long size = file.size();
        HttpRange range = HttpRange.decide(ex.getRequestHeaders().getFirst("Range"), size);
        var h = ex.getResponseHeaders();
        h.set("Accept-Ranges", "bytes");
        h.set("Content-Type", file.generated() && !file.name().endsWith(".img")
                ? "text/plain; charset=utf-8" : "application/octet-stream");
        range.contentRange().ifPresent(v -> h.set("Content-Range", v));
        if (range.status() == 416) {
            return new long[] {text(ex, 416, "range not satisfiable\n"), 0};
        }
        long length = range.length();
        if (head) {
            h.set("Content-Length", Long.toString(length));
            ex.sendResponseHeaders(range.status(), -1);
            return new long[] {range.status(), 0};
        }
        ex.sendResponseHeaders(range.status(), length == 0 ? -1 : length);
        long done = 0;
        try (ServedFile.Source src = file.open(); OutputStream out = ex.getResponseBody()) {
            ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            while (done < length) {
                buf.clear().limit((int) Math.min(buf.capacity(), length - done));
                int n = src.read(range.first() + done, buf);
                if (n < 0) {
                    throw new IOException(file.name() + " ended early");
                }
                out.write(buf.array(), 0, n);
                done += n;
            }
        }
        return new long[] {range.status(), done};
    }

    private static int text(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(status, -1);
            return status;
        }
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
        return status;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
