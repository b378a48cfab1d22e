package io.fleetkit.ota.server.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.SSLContext;

/**
 * What a browser fetches when it opens the dashboard and shows the overview, in its order: the page; then, in
 * parallel, its stylesheet, two scripts and icon; then {@code /me} (who the token is) and {@code /summary} (the
 * overview), one after the other as app.js asks for them. Each load uses a new HTTP client, so it pays new
 * connections and TLS handshakes, as a browser does the first time.
 */
final class DashboardFirstLoad {

    static final List<String> ASSETS = List.of("/app.css", "/actions.js", "/app.js", "/icon.svg");
    static final List<String> CALLS = List.of("/api/v1/me", "/api/v1/summary");

    /** One load: its wall time, the bytes of the bodies as sent, of the headers (as HTTP/1.1 text), and of the bodies gzipped. */
    record Load(double millis, long bodyBytes, long headerBytes, long gzipBodyBytes, String contentEncoding) {
    }

    private final String origin;
    private final SSLContext tls;
    private final String token;

    DashboardFirstLoad(String origin, SSLContext tls, String token) {
        this.origin = origin;
        this.tls = tls;
        this.token = token;
    }

    Load once() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        List<HttpResponse<byte[]>> answers = new ArrayList<>();
        long t0 = System.nanoTime();
        answers.add(http.send(get("/", false), HttpResponse.BodyHandlers.ofByteArray()));
        List<CompletableFuture<HttpResponse<byte[]>>> assets = new ArrayList<>();
        for (String path : ASSETS) {
            assets.add(http.sendAsync(get(path, false), HttpResponse.BodyHandlers.ofByteArray()));
        }
        for (CompletableFuture<HttpResponse<byte[]>> f : assets) {
            answers.add(f.join());
        }
        for (String path : CALLS) {
            answers.add(http.send(get(path, true), HttpResponse.BodyHandlers.ofByteArray()));
        }
        double millis = (System.nanoTime() - t0) / 1e6;
        long body = 0;
        long headers = 0;
        long gzip = 0;
        String encoding = "identity";
        for (HttpResponse<byte[]> r : answers) {
            if (r.statusCode() != 200) {
                throw new IOException(r.request().uri() + " answered " + r.statusCode());
            }
            body += r.body().length;
            headers += headerBytes(r.headers());
            gzip += gzipped(r.body());
            encoding = r.headers().firstValue("Content-Encoding").orElse(encoding);
        }
        return new Load(millis, body, headers, gzip, encoding);
    }

    private HttpRequest get(String path, boolean withToken) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(origin + path)).timeout(Duration.ofSeconds(30))
                .header("Accept-Encoding", "gzip"); // as a browser asks; the server may or may not compress
        if (withToken) {
            b.header("Authorization", "Bearer " + token);
        }
        return b.GET().build();
    }

    /** The header block as it crossed the wire: the status line, each "Name: value" line and the empty line. */
    private static long headerBytes(HttpHeaders h) {
        long n = "HTTP/1.1 200 OK\r\n".length() + 2;
        for (var e : h.map().entrySet()) {
            for (String v : e.getValue()) {
                n += e.getKey().length() + 2 + v.length() + 2;
            }
        }
        return n;
    }

    private static long gzipped(byte[] body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(body);
        }
        return out.size();
    }
}
