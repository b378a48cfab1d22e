package io.fleetkit.ota.server.remote;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.ota.server.DeviceView;
import io.fleetkit.ota.server.FleetClient;
import io.fleetkit.ota.server.NetbootAssignmentView;
import io.fleetkit.ota.server.access.AuditEntry;
import io.fleetkit.ota.server.access.NewToken;
import io.fleetkit.ota.server.access.Role;
import io.fleetkit.ota.server.access.TokenInfo;
import io.fleetkit.ota.server.api.ApiDocReader;
import io.fleetkit.ota.server.api.ApiRoutes;
import io.fleetkit.ota.server.bundles.PublishedBundle;
import io.fleetkit.ota.server.db.DevicePage;
import io.fleetkit.ota.server.db.DeviceQuery;
import io.fleetkit.ota.server.db.DeviceRecord;
import io.fleetkit.ota.server.db.NetbootAssignment;
import io.fleetkit.ota.server.rollout.Rollout;
import io.fleetkit.ota.server.rollout.RolloutRequest;
import io.fleetkit.ota.server.rollout.RolloutStatus;
import io.fleetkit.ota.server.security.Revocation;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The fleet as a fleet server's API serves it ({@code fleet --server https://host:port}): each call is one request to
 * the route that makes the same {@link FleetClient} call on the server, whose answer is read back with
 * {@link ApiDocReader}. Refusals arrive as the server's {@link FleetkitException}s, so a command says the same
 * remotely as locally; changes are audited on the server as the token's holder, from this machine's address.
 */
public final class RemoteFleetClient implements FleetClient {

    /** Pages of all devices are fetched this large; more pages than this (a million devices) is a server that never ends. */
    private static final int MAX_PAGES = 1000;

    private final ApiConnection api;

    private RemoteFleetClient(ApiConnection api) {
        this.api = api;
    }

    /**
     * The fleet served at {@code server} (https://host:port), called with {@code token}, trusting the fleet CA certificate in
     * {@code caFile}. Nothing is sent until the first call.
     */
    public static RemoteFleetClient connect(URI server, String token, Path caFile) throws IOException {
        return new RemoteFleetClient(ApiConnection.open(server, token, caFile));
    }

    @Override
    public List<DeviceRecord> devices() throws IOException {
        List<DeviceRecord> all = new ArrayList<>();
        DeviceQuery q = new DeviceQuery(null, null, null, null, null, null, DeviceQuery.MAX_LIMIT);
        for (int pages = 0; pages < MAX_PAGES; pages++) {
            DevicePage page = devices(q);
            all.addAll(page.devices());
            if (page.next() == null) {
                return all;
            }
            q = q.after(page.next());
        }
        throw new FleetkitException("remote.bad-answer", api.server() + " sent more than " + MAX_PAGES + " pages of devices",
                "Check that --server names a fleet server's API.");
    }

    @Override
    public DevicePage devices(DeviceQuery query) throws IOException {
        Query q = new Query().add("board", query.board()).add("version", query.version())
                .add("state", query.state() == null ? null : query.state().name()).add("tag", query.tag())
                .add("online", query.online() == null ? null : query.online().toString()).add("after", query.after())
                .add("limit", Integer.toString(query.limit()));
        return ApiDocReader.page(api.call("GET", "/devices" + q, null));
    }

    @Override
    public DeviceView device(String id) throws IOException {
        return ApiDocReader.deviceView(api.call("GET", "/devices/" + segment(id), null));
    }

    @Override
    public void tagDevice(String id, List<String> tags) throws IOException {
        api.call("PUT", "/devices/" + segment(id) + "/tags", Map.of("tags", tags));
    }

    @Override
    public Revocation revoke(String id, String serial, String reason) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("serial", serial);
        body.put("reason", reason);
        return ApiDocReader.revocation(api.call("POST", "/devices/" + segment(id) + "/revocations", body));
    }

    @Override
    public List<Revocation> revocations() throws IOException {
        return list(api.call("GET", "/revocations", null)).stream().map(ApiDocReader::revocation).toList();
    }

    /** Uploads the bundle; the server verifies it with the fleet's signing key as a local publish does, and stores it. */
    @Override
    public PublishedBundle publish(Path bundle, Optional<String> name) throws IOException {
        if (!Files.isRegularFile(bundle)) {
            throw new NoSuchFileException(bundle.toString());
        }
        return ApiDocReader.bundle(api.upload("/bundles" + new Query().add("name", name.orElse(null)), bundle));
    }

    @Override
    public List<PublishedBundle> bundles() throws IOException {
        return list(api.call("GET", "/bundles", null)).stream().map(ApiDocReader::bundle).toList();
    }

    @Override
    public Rollout createRollout(RolloutRequest request) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("version", request.target());
        if (!request.selector().toString().isEmpty()) {
            body.put("select", request.selector().toString());
        }
        body.put("phases", request.phases().toString());
        body.put("maxFailures", request.maxFailures());
        body.put("timeout", request.timeout().toSeconds() + "s");
        return ApiDocReader.status(api.call("POST", "/rollouts", body)).rollout();
    }

    @Override
    public List<Rollout> rollouts() throws IOException {
        return list(api.call("GET", "/rollouts", null)).stream().map(ApiDocReader::rollout).toList();
    }

    @Override
    public RolloutStatus status(String id) throws IOException {
        return ApiDocReader.status(api.call("GET", "/rollouts/" + (id == null ? ApiRoutes.NEWEST : segment(id)), null));
    }

    @Override
    public Rollout pause(String id) throws IOException {
        return change(id, "pause");
    }

    @Override
    public Rollout resume(String id) throws IOException {
        return change(id, "resume");
    }

    @Override
    public Rollout abort(String id) throws IOException {
        return change(id, "abort");
    }

    private Rollout change(String id, String verb) throws IOException {
        return ApiDocReader.rollout(api.call("POST", "/rollouts/" + (id == null ? ApiRoutes.ACTIVE : segment(id)) + "/" + verb, null));
    }

    @Override
    public List<NetbootAssignmentView> netbootAssignments() throws IOException {
        return list(api.call("GET", "/netboot/assignments", null)).stream().map(ApiDocReader::netbootAssignment).toList();
    }

    @Override
    public NetbootAssignmentView assignNetboot(NetbootAssignment.Kind kind, String target, String image) throws IOException {
        return ApiDocReader.netbootAssignment(api.call("PUT", assignment(kind, target), Map.of("image", image)));
    }

    @Override
    public boolean unassignNetboot(NetbootAssignment.Kind kind, String target) throws IOException {
        if (api.call("DELETE", assignment(kind, target), null) instanceof Map<?, ?> m && m.get("removed") instanceof Boolean removed) {
            return removed;
        }
        throw new FleetkitException("remote.bad-answer", api.server() + " did not say whether the assignment was removed",
                "Check that --server names a fleet server's API.");
    }

    private static String assignment(NetbootAssignment.Kind kind, String target) {
        return "/netboot/assignments/" + kind.label() + "/" + segment(target);
    }

    @Override
    public Optional<NetbootAssignment> netbootAssignmentFor(String mac, String piSerial) throws IOException {
        Object answer = api.call("GET", "/netboot/lookup" + new Query().add("mac", mac).add("serial", piSerial), null);
        Object a = answer instanceof Map<?, ?> m ? m.get("assignment") : null;
        return a == null ? Optional.empty() : Optional.of(ApiDocReader.assignment(a));
    }

    @Override
    public NewToken createToken(String name, Role role) throws IOException {
        return ApiDocReader.newToken(api.call("POST", "/tokens", Map.of("name", name, "role", role.label())));
    }

    @Override
    public List<TokenInfo> tokens() throws IOException {
        return list(api.call("GET", "/tokens", null)).stream().map(ApiDocReader::token).toList();
    }

    @Override
    public void revokeToken(String name) throws IOException {
        api.call("DELETE", "/tokens/" + segment(name), null);
    }

    @Override
    public List<AuditEntry> audit(int limit, Long before) throws IOException {
        Query q = new Query().add("limit", Integer.toString(limit)).add("before", before == null ? null : before.toString());
        return ApiDocReader.auditEntries(api.call("GET", "/audit" + q, null));
    }

    private List<?> list(Object json) {
        if (json instanceof List<?> l) {
            return l;
        }
        throw new FleetkitException("remote.bad-answer", api.server() + " answered with something other than a list",
                "Check that --server names a fleet server's API.");
    }

    /**
     * One path segment: names of devices, tags, tokens and rollouts are plain words, sent as they are; anything else is
     * percent-encoded, so it stays one segment and the server refuses it as a bad name rather than meeting another route.
     */
    static String segment(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            boolean dots = s.equals(".") || s.equals(".."); // would be taken as a step up the path
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || ("-._~+@".indexOf(c) >= 0 && !dots)) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.isEmpty() ? "%20" : out.toString();
    }

    /** A query string of the parameters that have a value. */
    private static final class Query {
        private final StringJoiner parts = new StringJoiner("&", "?", "").setEmptyValue("");

        Query add(String name, String value) {
            if (value != null) {
                parts.add(name + "=" + java.net.URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
            return this;
        }

        @Override
        public String toString() {
            return parts.toString();
        }
    }

    @Override
    public void close() {
        // HttpClient holds no resources worth closing in Java 17; its threads are daemons.
    }
}
