package io.fleetkit.ota.server.devices;

import io.fleetkit.events.EventSink;
import io.fleetkit.keys.Certificates;
import io.fleetkit.ota.protocol.HttpRange;
import io.fleetkit.ota.server.bundles.BundleStore;
import io.fleetkit.ota.server.bundles.PublishedBundle;
import io.fleetkit.ota.server.metrics.ServerCounters;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.security.cert.X509Certificate;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSocket;

/**
 * Serves published bundles read-only at {@code /bundles/<sha256>}, GET and HEAD, one single {@code Range}
 * per request (206), so a device resumes a download where its verified prefix ends. Over TLS
 * ({@link #startTls}) a device must present its fleet-CA certificate and gets only bundles it was offered
 * ({@link OfferedBundles}); plain HTTP ({@link #start}) serves any published bundle and is for tests and labs.
 * Only names that are a published bundle's SHA-256 map to a file, through the bundle store.
 *
 * <p>Each connection carries one request ({@code Connection: close}) and is bounded in time: the TLS handshake
 * and the request head must arrive within {@value #REQUEST_SECONDS} s, the whole response within
 * {@value #RESPONSE_MINUTES} minutes, so connections that send nothing (or stop reading) cannot hold the
 * workers for long.
 */
public final class BundleHttpServer implements AutoCloseable {

    /** The path prefix under which bundles are served. */
    public static final String PATH = "/bundles/";

    static final int REQUEST_SECONDS = 10;
    static final int RESPONSE_MINUTES = 10;
    private static final int WORKERS = 16;
    private static final int MAX_HEAD_BYTES = 8192;
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final ServerSocket socket;
    private final BundleStore store;
    private final OfferedBundles offers;
    private final EventSink sink;
    private final ServerCounters counters;
    private final ExecutorService workers = Executors.newFixedThreadPool(WORKERS, daemon("fleet-http"));
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(daemon("fleet-http-deadline"));
    private final Thread acceptor;
    private volatile boolean closed;

    private BundleHttpServer(ServerSocket socket, BundleStore store, OfferedBundles offers, ServerCounters counters, EventSink sink) {
        this.socket = socket;
        this.counters = counters;
        this.store = store;
        this.offers = offers;
        this.sink = sink;
        this.acceptor = new Thread(this::acceptLoop, "fleet-http-accept");
        acceptor.setDaemon(true);
    }

    /**
     * Plain HTTP on {@code host:port} (0 for any free port), every published bundle to anyone: tests and labs. Bytes
     * sent are counted in {@code counters}, here and over TLS.
     */
    public static BundleHttpServer start(String host, int port, BundleStore store, ServerCounters counters, EventSink sink) throws IOException {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(InetAddress.getByName(host), port), 64);
        BundleHttpServer server = new BundleHttpServer(s, store, null, counters, sink);
        server.acceptor.start();
        return server;
    }

    /** HTTPS on {@code host:port}: client certificates required ({@code tls} requires them), bundles only for the device offered them. */
    public static BundleHttpServer startTls(String host, int port, SSLServerSocketFactory tls, BundleStore store, OfferedBundles offers,
                                            ServerCounters counters, EventSink sink) throws IOException {
        SSLServerSocket s = (SSLServerSocket) tls.createServerSocket();
        s.setNeedClientAuth(true);
        s.bind(new InetSocketAddress(InetAddress.getByName(host), port), 64);
        BundleHttpServer server = new BundleHttpServer(s, store, offers, counters, sink);
        server.acceptor.start();
        return server;
    }

    public int port() {
        return socket.getLocalPort();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket c;
            try {
                c = socket.accept();
            } catch (IOException e) {
                if (!closed) {
                    sink.warn("http", "accepting a connection failed: " + e.getMessage());
                }
                continue;
            }
            try {
                workers.execute(() -> serve(c));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                closeQuietly(c);
            }
        }
    }

    private void serve(Socket c) {
        ScheduledFuture<?> deadline = deadlines.schedule(() -> closeQuietly(c), RESPONSE_MINUTES, TimeUnit.MINUTES);
        try (c) {
            c.setSoTimeout(REQUEST_SECONDS * 1000);
            ScheduledFuture<?> head = deadlines.schedule(() -> closeQuietly(c), REQUEST_SECONDS, TimeUnit.SECONDS);
            String device = null;
            if (c instanceof SSLSocket ssl) {
                ssl.startHandshake();
                X509Certificate peer = (X509Certificate) ssl.getSession().getPeerCertificates()[0];
                device = Certificates.commonName(peer);
            }
            Map<String, String> request = readHead(c.getInputStream());
            head.cancel(false);
            c.setSoTimeout(0);
            OutputStream out = new BufferedOutputStream(c.getOutputStream(), 64 << 10);
            respond(request, device, out);
            out.flush();
        } catch (IOException e) {
            sink.debug("http", "serving " + c.getRemoteSocketAddress() + " ended: " + e.getMessage());
        } finally {
            deadline.cancel(false);
        }
    }

    /** The request line (as ":method" and ":path") and headers (lower-case names). */
    private static Map<String, String> readHead(InputStream in) throws IOException {
        StringBuilder text = new StringBuilder();
        int prev3 = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed before the end of the request head");
            }
            text.append((char) b);
            prev3 = (prev3 << 8 | b) & 0xffffffff;
            if (prev3 == 0x0d0a0d0a) {
                break;
            }
            if (text.length() > MAX_HEAD_BYTES) {
                throw new IOException("request head longer than " + MAX_HEAD_BYTES + " bytes");
            }
        }
        String[] lines = text.toString().split("\r\n");
        String[] requestLine = lines[0].split(" ");
        Map<String, String> head = new LinkedHashMap<>();
        head.put(":method", requestLine[0]);
        head.put(":path", requestLine.length > 1 ? requestLine[1] : "");
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                head.putIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        return head;
    }

    private void respond(Map<String, String> request, String device, OutputStream out) throws IOException {
        String method = request.get(":method");
        boolean head = method.equals("HEAD");
        if (!head && !method.equals("GET")) {
            status(out, 405, "Method Not Allowed", Map.of("Allow", "GET, HEAD"), -1);
            return;
        }
        String path = request.get(":path");
        String name = path.startsWith(PATH) ? path.substring(PATH.length()) : "";
        Optional<PublishedBundle> bundle = SHA256.matcher(name).matches() ? lookUp(name, device) : Optional.empty();
        if (bundle.isEmpty()) {
            status(out, 404, "Not Found", Map.of(), 0);
            return;
        }
        PublishedBundle b = bundle.get();
        try (FileChannel ch = FileChannel.open(store.file(b), StandardOpenOption.READ)) {
            long size = ch.size();
            HttpRange range = HttpRange.decide(request.get("range"), size);
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Accept-Ranges", "bytes");
            headers.put("Content-Type", "application/octet-stream");
            headers.put("ETag", "\"" + b.sha256() + "\"");
            range.contentRange().ifPresent(v -> headers.put("Content-Range", v));
            if (range.status() == 416) {
                status(out, 416, "Range Not Satisfiable", headers, 0);
                return;
            }
            status(out, range.status(), range.status() == 206 ? "Partial Content" : "OK", headers, range.length());
            if (head) {
                return;
            }
            var target = Channels.newChannel(out);
            long pos = range.first();
            long end = range.first() + range.length();
            while (pos < end) {
                long n = ch.transferTo(pos, end - pos, target);
                if (n <= 0) {
                    throw new IOException(store.file(b) + " ended at " + pos + " of its " + size + " bytes");
                }
                pos += n;
                counters.chunkBytesServed(ServerCounters.Transport.HTTP, n);
            }
        }
    }

    private static void status(OutputStream out, int code, String reason, Map<String, String> headers, long length) throws IOException {
        StringBuilder s = new StringBuilder("HTTP/1.1 ").append(code).append(' ').append(reason).append("\r\n");
        headers.forEach((k, v) -> s.append(k).append(": ").append(v).append("\r\n"));
        s.append("Content-Length: ").append(Math.max(0, length)).append("\r\nConnection: close\r\n\r\n");
        out.write(s.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    private Optional<PublishedBundle> lookUp(String sha256, String device) {
        try {
            if (offers != null && (device == null || !offers.offered(device, sha256))) {
                return Optional.empty();
            }
            return store.bySha256(sha256);
        } catch (SQLException e) {
            sink.warn("http", "bundle lookup failed: " + e.getMessage());
            return Optional.empty();
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException | RuntimeException ignored) {
            // closing anyway
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        workers.shutdownNow();
        deadlines.shutdownNow();
    }
}
