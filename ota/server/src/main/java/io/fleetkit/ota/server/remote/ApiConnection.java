package io.fleetkit.ota.server.remote;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.events.UsageException;
import io.fleetkit.json.JsonException;
import io.fleetkit.json.JsonParser;
import io.fleetkit.json.JsonWriter;
import io.fleetkit.keys.CertificatePem;
import io.fleetkit.ota.server.api.ApiRoutes;
import io.fleetkit.ota.server.broker.TlsSockets;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * One fleet server's API as the remote client calls it: HTTPS trusting only the fleet CA (the server's certificate is
 * issued by it; the name must match one given to {@code fleet keys issue-server}), a bearer token, JSON both ways.
 * Answers are read up to {@value #MAX_ANSWER_BYTES} bytes. An error answer becomes the {@link FleetkitException} the
 * fleet threw on the server (same code, message and fix; a 400 is a {@link UsageException}, as the CLI's usage errors),
 * so the CLI says the same remotely as locally; what stands between (no connection, an untrusted certificate, a token
 * refused) is a {@link FleetkitException} naming the URL and the fix.
 */
final class ApiConnection {

    static final int MAX_ANSWER_BYTES = 64 << 20;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration UPLOAD_TIMEOUT = Duration.ofHours(1);

    private final URI server;
    private final String token;
    private final Path caFile;
    private final HttpClient http;

    private ApiConnection(URI server, String token, Path caFile, HttpClient http) {
        this.server = server;
        this.token = token;
        this.caFile = caFile;
        this.http = http;
    }

    /** The API of the server at {@code server} (https://host:port), with {@code token}, trusting the CA certificate in {@code caFile}. */
    static ApiConnection open(URI server, String token, Path caFile) throws IOException {
        if (!Files.isRegularFile(caFile)) {
            throw new FleetkitException("remote.no-ca", "no fleet CA certificate at " + caFile.toAbsolutePath() + " to check the server with",
                    "Copy ca.crt from the key directory `fleet keys init` made (it is public) and pass --ca FILE or set FLEET_CA.");
        }
        X509Certificate ca = CertificatePem.read(caFile);
        HttpClient http = HttpClient.newBuilder().sslContext(TlsSockets.trustOnly(ca)).connectTimeout(CONNECT_TIMEOUT)
                .version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER).build();
        return new ApiConnection(server, token, caFile, http);
    }

    URI server() {
        return server;
    }

    /** Calls {@code method path} (under /api/v1, path and query already encoded) with a JSON body (null: none); returns the JSON answer. */
    Object call(String method, String path, Object body) throws IOException {
        HttpRequest.Builder r = request(path, CALL_TIMEOUT);
        if (body == null) {
            r.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            r.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(JsonWriter.write(body)));
        }
        return send(r.build());
    }

    /** Uploads {@code file} as the body of {@code POST path}; returns the JSON answer. */
    Object upload(String path, Path file) throws IOException {
        return send(request(path, UPLOAD_TIMEOUT).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofFile(file)).build());
    }

    private HttpRequest.Builder request(String path, Duration timeout) {
        // not server.resolve(..): resolving would take dot segments out of the path
        return HttpRequest.newBuilder(URI.create(server.getScheme() + "://" + server.getRawAuthority() + ApiRoutes.BASE + path)).timeout(timeout).header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
    }

    private Object send(HttpRequest request) throws IOException {
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while calling " + server, e);
        } catch (IOException e) {
            throw unreachable(e);
        }
        Object json = read(response);
        int status = response.statusCode();
        if (status / 100 == 2) {
            return json;
        }
        throw refused(status, json);
    }

    private Object read(HttpResponse<InputStream> response) throws IOException {
        byte[] bytes;
        try (InputStream in = response.body()) {
            bytes = in.readNBytes(MAX_ANSWER_BYTES + 1);
        }
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (bytes.length > MAX_ANSWER_BYTES || !type.startsWith("application/json")) {
            throw new FleetkitException("remote.bad-answer", server + " answered HTTP " + response.statusCode() + " with "
                    + (bytes.length > MAX_ANSWER_BYTES ? "more than " + MAX_ANSWER_BYTES + " bytes" : "'" + type + "', not JSON"),
                    "Check that --server (or FLEET_SERVER) names the port of `fleet server --api-port`, not another service.");
        }
        try {
            return JsonParser.parse(bytes, MAX_ANSWER_BYTES);
        } catch (JsonException e) {
            throw new FleetkitException("remote.bad-answer", server + " answered with broken JSON: " + e.getMessage(),
                    "Check that --server (or FLEET_SERVER) names a fleet server's API.");
        }
    }

    /** An error answer as the exception the fleet threw; 401 and 403 with the fix on this side (the token to use). */
    private FleetkitException refused(int status, Object json) {
        if (!(json instanceof Map<?, ?> m) || !(m.get("code") instanceof String code) || !(m.get("message") instanceof String message)) {
            return new FleetkitException("remote.bad-answer", server + " answered HTTP " + status + " without a fleet error",
                    "Check that --server (or FLEET_SERVER) names a fleet server's API.");
        }
        String fix = m.get("fix") instanceof String f ? f : null;
        return switch (status) {
            case 400 -> new UsageException(code, message, fix);
            case 401 -> new FleetkitException(code, server + " refused the token: " + message,
                    "Set FLEET_TOKEN (or --token-file FILE) to a token of this fleet; an admin makes one on the server's machine with"
                            + " `fleet token create NAME --role viewer|operator|admin`.");
            case 403 -> new FleetkitException(code, message, fix + " Then set FLEET_TOKEN (or --token-file) to it.");
            default -> new FleetkitException(code, message, fix);
        };
    }

    /** Why the server could not be reached, with the URL and what to check. */
    private FleetkitException unreachable(IOException e) {
        String detail = e.getMessage() != null ? e.getMessage() : e.getCause() != null && e.getCause().getMessage() != null
                ? e.getCause().getMessage() : e.getClass().getSimpleName();
        if (e instanceof SSLHandshakeException || e instanceof SSLException || e.getCause() instanceof SSLException) {
            return new FleetkitException("remote.untrusted", "the server at " + server + " is not one the fleet CA in " + caFile
                    + " vouches for: " + detail, "Pass --ca (or FLEET_CA) with this fleet's ca.crt; if the name does not match, call the"
                    + " server by a name its certificate has, or reissue it: fleet keys issue-server HOST... (then restart `fleet server`).", e);
        }
        if (e instanceof HttpConnectTimeoutException) {
            return new FleetkitException("remote.unreachable", "no answer from " + server + " within " + CONNECT_TIMEOUT.toSeconds() + " s",
                    "Check --server (or FLEET_SERVER), the network and any firewall between here and the server.", e);
        }
        if (e instanceof HttpTimeoutException) {
            return new FleetkitException("remote.timeout", server + " took too long to answer: " + detail,
                    "Try again; if it persists, check the server's log.", e);
        }
        if (e instanceof ConnectException || e.getCause() instanceof UnknownHostException || e instanceof UnknownHostException) {
            return new FleetkitException("remote.unreachable", "cannot connect to " + server + ": " + detail,
                    "Check --server (or FLEET_SERVER): is `fleet server --api-port PORT` running there, and is the port open?", e);
        }
        return new FleetkitException("remote.unreachable", "the connection to " + server + " failed: " + detail,
                "Try again; check the network and that `fleet server --api-port` runs at " + server + ".", e);
    }
}
