package io.fleetkit.ota.server.api;

import io.fleetkit.json.JsonFields;
import io.fleetkit.ota.protocol.DeviceIds;
import io.fleetkit.ota.protocol.UpdateState;
import io.fleetkit.ota.server.access.Role;
import io.fleetkit.ota.server.db.DeviceQuery;
import io.fleetkit.ota.server.db.NetbootAssignment;
import io.fleetkit.ota.server.metrics.ServerMetrics;
import io.fleetkit.ota.server.rollout.DeviceSelector;
import io.fleetkit.ota.server.rollout.PhasePlan;
import io.fleetkit.ota.server.rollout.RolloutRequest;
import io.fleetkit.ota.server.rollout.RolloutText;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Every route of the API under {@value #BASE}, each backed by one {@link io.fleetkit.ota.server.FleetClient} call, so
 * the API and the CLI share one implementation of each operation. openapi.json describes exactly these
 * (a test checks both ways).
 */
public final class ApiRoutes {

    public static final String BASE = "/api/v1";
    private static final Pattern ROLLOUT_ID = Pattern.compile("r-[0-9]{1,18}");
    /** In place of a rollout id: the newest rollout. */
    public static final String NEWEST = "newest";
    /** In place of a rollout id: the one active rollout. */
    public static final String ACTIVE = "active";
    /** Prometheus's customary path, outside {@value #BASE}: the metrics are not versioned with the API (docs/metrics.md). */
    public static final String METRICS = "/metrics";

    private ApiRoutes() {
    }

    public static List<ApiRoute> all() {
        return List.of(
                new ApiRoute("GET", BASE + "/openapi.json", null, 200, call -> OpenApiDocument.json()),
                new ApiRoute("GET", BASE + "/devices", Role.VIEWER, 200, call -> ApiDocs.page(call.client().devices(deviceQuery(call)))),
                new ApiRoute("GET", BASE + "/devices/{id}", Role.VIEWER, 200,
                        call -> ApiDocs.deviceView(call.client().device(deviceId(call)))),
                new ApiRoute("PUT", BASE + "/devices/{id}/tags", Role.OPERATOR, 200, call -> {
                    String id = deviceId(call);
                    List<String> tags = call.body(Set.of("tags"), Set.of("tags")).requiredStrings("tags");
                    call.client().tagDevice(id, tags);
                    return ApiDocs.device(call.client().device(id).device());
                }),
                new ApiRoute("GET", BASE + "/bundles", Role.VIEWER, 200,
                        call -> call.client().bundles().stream().map(ApiDocs::bundle).toList()),
                new ApiRoute("GET", BASE + "/rollouts", Role.VIEWER, 200,
                        call -> call.client().rollouts().stream().map(ApiDocs::rollout).toList()),
                new ApiRoute("POST", BASE + "/rollouts", Role.OPERATOR, 201, call -> {
                    String id = call.client().createRollout(rolloutRequest(call)).id();
                    return ApiDocs.status(call.client().status(id));
                }),
                new ApiRoute("GET", BASE + "/rollouts/{id}", Role.VIEWER, 200,
                        call -> ApiDocs.status(call.client().status(rolloutId(call, NEWEST)))),
                new ApiRoute("POST", BASE + "/rollouts/{id}/pause", Role.OPERATOR, 200,
                        call -> ApiDocs.rollout(call.client().pause(rolloutId(call, ACTIVE)))),
                new ApiRoute("POST", BASE + "/rollouts/{id}/resume", Role.OPERATOR, 200,
                        call -> ApiDocs.rollout(call.client().resume(rolloutId(call, ACTIVE)))),
                new ApiRoute("POST", BASE + "/rollouts/{id}/abort", Role.OPERATOR, 200,
                        call -> ApiDocs.rollout(call.client().abort(rolloutId(call, ACTIVE)))),
                new ApiRoute("GET", BASE + "/audit", Role.VIEWER, 200, call -> {
                    Map<String, String> q = call.query(Set.of("limit", "before"));
                    int limit = q.get("limit") == null ? 100 : integer("limit", q.get("limit"));
                    Long before = q.get("before") == null ? null : seq(q.get("before"));
                    return ApiDocs.auditPage(call.client().audit(limit, before), limit);
                }),
                // The routes the remote CLI needs beyond the ones above: one for each FleetClient call.
                ApiRoute.upload("POST", BASE + "/bundles", Role.ADMIN, 201, call -> {
                    String name = call.query(Set.of("name")).get("name");
                    return ApiDocs.bundle(call.client().publish(call.upload(), java.util.Optional.ofNullable(name)));
                }),
                new ApiRoute("POST", BASE + "/devices/{id}/revocations", Role.ADMIN, 201, call -> {
                    String id = deviceId(call);
                    JsonFields b = call.body(Set.of("serial", "reason"), Set.of("reason"));
                    return ApiDocs.revocation(call.client().revoke(id, b.optionalString("serial"), b.requiredString("reason")));
                }),
                new ApiRoute("GET", BASE + "/revocations", Role.ADMIN, 200, call -> {
                    call.query(Set.of());
                    return call.client().revocations().stream().map(ApiDocs::revocation).toList();
                }),
                new ApiRoute("GET", BASE + "/netboot/assignments", Role.VIEWER, 200, call -> {
                    call.query(Set.of());
                    return call.client().netbootAssignments().stream().map(ApiDocs::netbootAssignment).toList();
                }),
                new ApiRoute("PUT", BASE + "/netboot/assignments/{kind}/{target}", Role.ADMIN, 200, call -> {
                    NetbootAssignment.Kind kind = netbootKind(call);
                    String image = call.body(Set.of("image"), Set.of("image")).requiredString("image");
                    return ApiDocs.netbootAssignment(call.client().assignNetboot(kind, call.path("target"), image));
                }),
                new ApiRoute("DELETE", BASE + "/netboot/assignments/{kind}/{target}", Role.ADMIN, 200, call -> {
                    NetbootAssignment.Kind kind = netbootKind(call);
                    return Map.of("removed", call.client().unassignNetboot(kind, call.path("target")));
                }),
                new ApiRoute("GET", BASE + "/netboot/lookup", Role.VIEWER, 200, call -> {
                    Map<String, String> q = call.query(Set.of("mac", "serial"));
                    Map<String, Object> m = new java.util.LinkedHashMap<>();
                    m.put("assignment", call.client().netbootAssignmentFor(q.get("mac"), q.get("serial")).map(ApiDocs::assignment).orElse(null));
                    return m;
                }),
                new ApiRoute("GET", BASE + "/tokens", Role.ADMIN, 200, call -> {
                    call.query(Set.of());
                    return call.client().tokens().stream().map(ApiDocs::token).toList();
                }),
                new ApiRoute("POST", BASE + "/tokens", Role.ADMIN, 201, call -> {
                    call.query(Set.of());
                    JsonFields b = call.body(Set.of("name", "role"), Set.of("name", "role"));
                    return ApiDocs.newToken(call.client().createToken(b.requiredString("name"), Role.parse(b.requiredString("role"))));
                }),
                new ApiRoute("DELETE", BASE + "/tokens/{name}", Role.ADMIN, 200, call -> {
                    call.query(Set.of());
                    call.client().revokeToken(call.path("name"));
                    return Map.of("revoked", call.path("name"));
                }),
                // for the dashboard: who the token is (its role decides the buttons shown), the overview, a rollout live
                new ApiRoute("GET", BASE + "/me", Role.VIEWER, 200, call -> {
                    call.query(Set.of());
                    return ApiDocs.caller(call.holder());
                }),
                new ApiRoute("GET", BASE + "/summary", Role.VIEWER, 200, call -> {
                    call.query(Set.of());
                    return ApiDocs.summary(call.client().summary());
                }),
                new ApiRoute("GET", BASE + "/rollouts/{id}/events", Role.VIEWER, 200, ApiRoutes::rolloutEvents),
                // for Prometheus, with a viewer token like the dashboard's
                new ApiRoute("GET", METRICS, Role.VIEWER, 200, call -> {
                    call.query(Set.of());
                    ServerMetrics m = call.metrics().orElseThrow(() -> new ApiException(404, "api.not-found", "this server serves no metrics", null));
                    return new PlainText(ServerMetrics.CONTENT_TYPE, m.scrape().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }));
    }

    /** The rollout's status as server-sent events, a new one each time it changes, until the rollout has ended. */
    private static EventStream rolloutEvents(ApiCall call) throws java.io.IOException {
        io.fleetkit.ota.server.FleetClient client = call.client();
        // an unknown rollout is 404 now, not an event later; "newest" is pinned to the rollout it is now
        String id = client.status(rolloutId(call, NEWEST)).rollout().id();
        return new EventStream("status", () -> {
            io.fleetkit.ota.server.rollout.RolloutStatus s = client.status(id);
            return new EventStream.Frame(ApiDocs.status(s), !s.rollout().state().isActive());
        });
    }

    /** The {@code {kind}} of a netboot assignment's path, {@code device} or {@code tag}; its {@code {target}} is checked by the fleet. */
    private static NetbootAssignment.Kind netbootKind(ApiCall call) {
        call.query(Set.of());
        for (NetbootAssignment.Kind k : NetbootAssignment.Kind.values()) {
            if (k.label().equals(call.path("kind"))) {
                return k;
            }
        }
        throw new ApiException(400, "api.bad-id", "'" + shorten(call.path("kind")) + "' is not a kind of netboot assignment",
                "Use /netboot/assignments/device/ID or /netboot/assignments/tag/TAG.");
    }

    private static DeviceQuery deviceQuery(ApiCall call) {
        Map<String, String> q = call.query(Set.of("board", "version", "state", "tag", "online", "limit", "after", "idPrefix"));
        UpdateState state = null;
        if (q.get("state") != null) {
            try {
                state = UpdateState.valueOf(q.get("state").toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ApiException(400, "api.bad-parameter", "state '" + q.get("state") + "' is not an update state",
                        "Use one of " + java.util.Arrays.toString(UpdateState.values()) + ".");
            }
        }
        Boolean online = null;
        if (q.get("online") != null) {
            if (!q.get("online").equals("true") && !q.get("online").equals("false")) {
                throw new ApiException(400, "api.bad-parameter", "online must be true or false, not '" + q.get("online") + "'", null);
            }
            online = Boolean.parseBoolean(q.get("online"));
        }
        String after = q.get("after");
        if (after != null && !DeviceIds.isValid(after)) {
            throw badId("after", after);
        }
        int limit = q.get("limit") == null ? DeviceQuery.DEFAULT_LIMIT : integer("limit", q.get("limit"));
        return new DeviceQuery(q.get("board"), q.get("version"), state, q.get("tag"), online, after, limit, q.get("idPrefix"));
    }

    private static RolloutRequest rolloutRequest(ApiCall call) {
        call.query(Set.of());
        JsonFields b = call.body(Set.of("version", "select", "phases", "maxFailures", "timeout"), Set.of("version"));
        RolloutRequest r = RolloutRequest.of(b.requiredString("version"));
        if (b.has("select")) {
            r = r.withSelector(DeviceSelector.parse(b.requiredString("select")));
        }
        if (b.has("phases")) {
            r = r.withPhases(PhasePlan.parse(b.requiredString("phases")));
        }
        Object max = b.get("maxFailures");
        if (max instanceof Number) {
            r = r.withMaxFailures(b.requiredDouble("maxFailures"));
        } else if (max != null) {
            r = r.withMaxFailures(RolloutText.share(b.requiredString("maxFailures")));
        }
        if (b.has("timeout")) {
            r = r.withTimeout(RolloutText.duration(b.requiredString("timeout")));
        }
        return r;
    }

    private static String deviceId(ApiCall call) {
        call.query(Set.of());
        String id = call.path("id");
        if (!DeviceIds.isValid(id)) {
            throw badId("device id", id);
        }
        return id;
    }

    /**
     * The rollout id of the path, or null for the word {@code alias} in its place: {@value #NEWEST} (the newest rollout)
     * where a rollout is read, {@value #ACTIVE} (the one active rollout) where one is changed, as the CLI without an id.
     */
    private static String rolloutId(ApiCall call, String alias) {
        call.query(Set.of());
        String id = call.path("id");
        if (id.equals(alias)) {
            return null;
        }
        if (!ROLLOUT_ID.matcher(id).matches()) {
            throw badId("rollout id", id);
        }
        return id;
    }

    private static int integer(String name, String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new ApiException(400, "api.bad-parameter", name + " '" + shorten(text) + "' is not a whole number", null);
        }
    }

    private static long seq(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new ApiException(400, "api.bad-parameter", "before '" + shorten(text) + "' is not an entry's seq", "Use the next of the page before.");
        }
    }

    private static ApiException badId(String what, String id) {
        return new ApiException(400, "api.bad-id", what + " '" + shorten(id) + "' is not well-formed",
                "Device ids are 1-64 of [A-Za-z0-9._-]; rollout ids look like r-7 (or newest, active).");
    }

    private static String shorten(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }
}
