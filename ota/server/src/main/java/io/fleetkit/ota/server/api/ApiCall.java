package io.fleetkit.ota.server.api;

import io.fleetkit.json.JsonException;
import io.fleetkit.json.JsonFields;
import io.fleetkit.json.JsonParser;
import io.fleetkit.ota.server.FleetClient;
import io.fleetkit.ota.server.access.TokenInfo;
import io.fleetkit.ota.server.metrics.ServerMetrics;
import java.util.Map;
import java.util.Set;

/**
 * One authenticated request as a route sees it: the fleet client acting for the token's holder, the path's
 * parameters, the query and the body. Reading them is strict: an unknown query parameter or body field is
 * refused ({@code api.unknown-parameter}, {@code api.unknown-field}), so a typo never silently means "no filter".
 */
public final class ApiCall {

    private final FleetClient client;
    private final Map<String, String> path;
    private final Map<String, String> query;
    private final byte[] body;
    private final TokenInfo holder;
    private final java.nio.file.Path upload;
    private final ServerMetrics metrics;

    ApiCall(FleetClient client, Map<String, String> path, Map<String, String> query, byte[] body) {
        this(client, path, query, body, null, null, null);
    }

    ApiCall(FleetClient client, Map<String, String> path, Map<String, String> query, byte[] body, TokenInfo holder,
            java.nio.file.Path upload, ServerMetrics metrics) {
        this.client = client;
        this.metrics = metrics;
        this.path = path;
        this.query = query;
        this.body = body;
        this.holder = holder;
        this.upload = upload;
    }

    /** The token the request came with (null on a route that needs none). */
    public TokenInfo holder() {
        return holder;
    }

    /** The body of an upload route, in a temporary file the server deletes after the call. */
    public java.nio.file.Path upload() {
        if (upload == null) {
            throw new IllegalStateException("not an upload route");
        }
        return upload;
    }

    /** The server's metrics, or empty when this API serves none. */
    public java.util.Optional<ServerMetrics> metrics() {
        return java.util.Optional.ofNullable(metrics);
    }

    public FleetClient client() {
        return client;
    }

    /** The path parameter {@code name} (the route's template has it). */
    public String path(String name) {
        return path.get(name);
    }

    /** The query, refusing parameters other than {@code allowed}. */
    public Map<String, String> query(Set<String> allowed) {
        for (String k : query.keySet()) {
            if (!allowed.contains(k)) {
                throw new ApiException(400, "api.unknown-parameter", "unknown query parameter '" + k + "'",
                        allowed.isEmpty() ? "This route takes no query parameters." : "Use " + String.join(", ", allowed.stream().sorted().toList()) + ".");
            }
        }
        return query;
    }

    /**
     * The body as a JSON object whose fields are among {@code allowed} and include {@code required}; a field of the
     * wrong type read from it is {@code api.bad-field}.
     */
    public JsonFields body(Set<String> allowed, Set<String> required) {
        Map<String, Object> doc;
        try {
            doc = JsonParser.parseObject(body, body.length + 1);
        } catch (JsonException | ClassCastException e) {
            throw new ApiException(400, "api.bad-json", "the request body is not a JSON object: " + e.getMessage(),
                    "Send a JSON object with Content-Type: application/json (see /api/v1/openapi.json).");
        }
        for (String k : doc.keySet()) {
            if (!allowed.contains(k)) {
                throw new ApiException(400, "api.unknown-field", "unknown field '" + k + "' in the request body",
                        "The fields are " + String.join(", ", allowed.stream().sorted().toList()) + ".");
            }
        }
        for (String k : required) {
            if (doc.get(k) == null) {
                throw new ApiException(400, "api.missing-field", "the request body has no '" + k + "'", "See /api/v1/openapi.json.");
            }
        }
        return JsonFields.of("request body", doc, (what, detail) -> new ApiException(400, "api.bad-field", detail, null));
    }
}
