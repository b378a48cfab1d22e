package io.fleetkit.ota.server.api;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The web dashboard's files (plain HTML, CSS and JavaScript in this module's resources, no build step, no CDN),
 * served at {@code /} beside the API. Only the files named here exist: a request names one of them or gets 404, so
 * no path reaches the file system. The files are public (the login page must load without a token); everything
 * they show comes from the API with the token the user typed. Every answer carries a Content-Security-Policy that
 * allows scripts, styles and connections only from this server (no inline script, no eval, no frames), and an ETag
 * with {@code no-cache}: the browser revalidates, so a new server's files are never hidden behind an old copy.
 */
final class DashboardAssets {

    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self';"
            + " base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private record Asset(byte[] bytes, String contentType, String etag) {
    }

    private static final String DIR = "/io/fleetkit/ota/server/dashboard/";

    private final Map<String, Asset> assets = Map.of(
            "/", load("index.html", "text/html; charset=utf-8"),
            "/app.js", load("app.js", "text/javascript; charset=utf-8"),
            "/actions.js", load("actions.js", "text/javascript; charset=utf-8"),
            "/app.css", load("app.css", "text/css; charset=utf-8"),
            "/icon.svg", load("icon.svg", "image/svg+xml"));

    /** Whether {@code path} is one of the dashboard's (the API's own paths are not). */
    boolean serves(String path) {
        return assets.containsKey(path);
    }

    void serve(HttpExchange ex) throws IOException {
        Asset a = assets.get(ex.getRequestURI().getRawPath());
        Headers h = ex.getResponseHeaders();
        if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
            h.set("Allow", "GET, HEAD");
            throw new ApiException(405, "api.method-not-allowed", ex.getRequestMethod() + " is not allowed on the dashboard's files", "Use GET.");
        }
        h.set("Content-Type", a.contentType());
        h.set("Content-Security-Policy", CSP);
        h.set("X-Content-Type-Options", "nosniff");
        h.set("X-Frame-Options", "DENY");
        h.set("Referrer-Policy", "no-referrer");
        h.set("Cross-Origin-Opener-Policy", "same-origin");
        h.set("Cache-Control", "no-cache");
        h.set("ETag", a.etag());
        if (a.etag().equals(ex.getRequestHeaders().getFirst("If-None-Match"))) {
            ex.sendResponseHeaders(304, -1);
            return;
        }
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(200, -1);
            return;
        }
        ex.sendResponseHeaders(200, a.bytes().length);
        ex.getResponseBody().write(a.bytes());
    }

    /** A file of the dashboard, read once (a missing one fails the server's start, not a browser). */
    private static Asset load(String name, String contentType) {
        try (InputStream in = DashboardAssets.class.getResourceAsStream(DIR + name)) {
            if (in == null) {
                throw new IllegalStateException("the dashboard's " + name + " is missing from the server's resources");
            }
            byte[] bytes = in.readAllBytes();
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return new Asset(bytes, contentType, "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
