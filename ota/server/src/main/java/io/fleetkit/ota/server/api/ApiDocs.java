package io.fleetkit.ota.server.api;

import io.fleetkit.ota.protocol.BundleRef;
import io.fleetkit.ota.protocol.DesiredUpdate;
import io.fleetkit.ota.server.DeviceView;
import io.fleetkit.ota.server.NetbootAssignmentView;
import io.fleetkit.ota.server.access.NewToken;
import io.fleetkit.ota.server.access.TokenInfo;
import io.fleetkit.ota.server.db.NetbootAssignment;
import io.fleetkit.ota.server.access.AuditEntry;
import io.fleetkit.ota.server.bundles.PublishedBundle;
import io.fleetkit.ota.server.db.DevicePage;
import io.fleetkit.ota.server.db.DeviceRecord;
import io.fleetkit.ota.server.db.EventRecord;
import io.fleetkit.ota.server.rollout.PhaseCounts;
import io.fleetkit.ota.server.rollout.Rollout;
import io.fleetkit.ota.server.rollout.RolloutDevice;
import io.fleetkit.ota.server.rollout.RolloutStatus;
import io.fleetkit.ota.server.security.Revocation;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of the fleet's values, defined once for the API (the schemas in openapi.json) and the CLI's {@code --json}.
 * Times are ISO-8601 UTC, null when unknown. {@link ApiDocReader} reads each form back into its value (a test holds the
 * two to a round trip), so the remote CLI shows what the local one does.
 */
public final class ApiDocs {

    private ApiDocs() {
    }

    static Map<String, Object> page(DevicePage p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("devices", p.devices().stream().map(ApiDocs::device).toList());
        m.put("next", p.next());
        return m;
    }

    public static Map<String, Object> device(DeviceRecord d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("board", d.board());
        m.put("version", d.version());
        m.put("versionNumber", d.versionNumber());
        m.put("slot", d.slot());
        m.put("slots", d.slotVersions());
        m.put("updateState", d.updateState().name());
        m.put("updateTarget", d.updateTarget());
        m.put("updateProgress", d.updateProgress());
        m.put("updateReason", d.updateReason());
        m.put("freeBytes", d.freeBytes());
        m.put("uptimeSeconds", d.uptimeSeconds());
        m.put("agent", d.agent());
        m.put("tags", d.tags());
        m.put("online", d.online());
        m.put("lastSeen", time(d.lastSeen()));
        m.put("desiredVersion", d.desired() == null ? null : d.desired().version());
        m.put("desired", desired(d.desired()));
        m.put("macs", d.macs());
        m.put("serial", d.serial());
        m.put("hostname", d.hostname());
        m.put("settings", d.settings());
        m.put("certificateSerial", d.certificateSerial());
        m.put("certificateNotAfter", time(d.certificateNotAfter()));
        return m;
    }

    /** The desired update the device is being sent, whole (null: none was ever set); {@code desiredVersion} is its version. */
    static Map<String, Object> desired(DesiredUpdate u) {
        if (u == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", u.version());
        m.put("versionNumber", u.versionNumber());
        m.put("rollout", u.rollout());
        m.put("bundle", u.bundle() == null ? null : bundleRef(u.bundle()));
        m.put("url", u.url());
        return m;
    }

    static Map<String, Object> bundleRef(BundleRef b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sha256", b.sha256());
        m.put("size", b.size());
        m.put("headerSize", b.headerSize());
        m.put("chunkSize", b.chunkSize());
        m.put("chunks", b.chunks());
        return m;
    }

    public static Map<String, Object> deviceView(DeviceView v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("device", device(v.device()));
        m.put("events", v.events().stream().map(ApiDocs::event).toList());
        m.put("revocations", v.revocations().stream().map(ApiDocs::revocation).toList());
        return m;
    }

    static Map<String, Object> event(EventRecord e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", e.seq());
        m.put("state", e.state().name());
        m.put("target", e.target());
        m.put("reason", e.reason());
        m.put("message", e.message());
        m.put("ts", time(e.ts()));
        m.put("receivedAt", time(e.receivedAt()));
        return m;
    }

    public static Map<String, Object> revocation(Revocation r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("deviceId", r.deviceId());
        m.put("serial", r.serial());
        m.put("reason", r.reason());
        m.put("revokedAt", time(r.revokedAt()));
        return m;
    }

    public static Map<String, Object> bundle(PublishedBundle b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", b.name());
        m.put("version", b.version());
        m.put("versionNumber", b.versionNumber());
        m.put("board", b.board());
        m.put("sha256", b.sha256());
        m.put("size", b.size());
        m.put("chunkSize", b.chunkSize());
        m.put("chunks", b.chunks());
        m.put("headerSize", b.headerSize());
        m.put("path", b.path());
        m.put("publishedAt", time(b.publishedAt()));
        return m;
    }

    public static Map<String, Object> rollout(Rollout r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("target", r.target());
        m.put("selector", r.selector());
        m.put("phases", r.phases());
        m.put("maxFailures", r.maxFailures());
        m.put("timeoutSeconds", r.timeout().toSeconds());
        m.put("state", r.state().name());
        m.put("currentPhase", r.currentPhase());
        m.put("phaseCount", r.phaseCount());
        m.put("acceptedFailures", r.acceptedFailures());
        m.put("reason", r.reason());
        m.put("createdAt", time(r.createdAt()));
        m.put("updatedAt", time(r.updatedAt()));
        return m;
    }

    public static Map<String, Object> status(RolloutStatus s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rollout", rollout(s.rollout()));
        m.put("phases", s.phases().stream().map(ApiDocs::phase).toList());
        m.put("devices", s.devices().stream().map(ApiDocs::rolloutDevice).toList());
        return m;
    }

    static Map<String, Object> phase(PhaseCounts p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("phase", p.phase());
        m.put("total", p.total());
        m.put("pending", p.pending());
        m.put("offered", p.offered());
        m.put("succeeded", p.succeeded());
        m.put("failed", p.failed());
        m.put("timedOut", p.timedOut());
        return m;
    }

    static Map<String, Object> rolloutDevice(RolloutDevice d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("deviceId", d.deviceId());
        m.put("phase", d.phase());
        m.put("bundleSha256", d.bundleSha256());
        m.put("state", d.state().name());
        m.put("reason", d.reason());
        m.put("offeredAt", time(d.offeredAt()));
        m.put("updatedAt", time(d.updatedAt()));
        return m;
    }

    public static Map<String, Object> audit(AuditEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", e.seq());
        m.put("at", time(e.at()));
        m.put("actor", e.actor());
        m.put("source", e.source());
        m.put("action", e.action());
        m.put("target", e.target());
        m.put("detail", e.detail());
        return m;
    }

    /** Who a request's token is: the dashboard shows the buttons of its role. */
    static Map<String, Object> caller(io.fleetkit.ota.server.access.TokenInfo t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", t.name());
        m.put("role", t.role().label());
        return m;
    }

    static Map<String, Object> summary(io.fleetkit.ota.server.FleetSummary s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("devices", s.devices());
        m.put("online", s.online());
        m.put("offline", s.devices() - s.online());
        m.put("versions", s.versions().stream().map(v -> {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("board", v.board());
            c.put("version", v.version());
            c.put("devices", v.devices());
            c.put("online", v.online());
            return c;
        }).toList());
        m.put("activeRollouts", s.activeRollouts().stream().map(ApiDocs::rollout).toList());
        return m;
    }

    /** A page of the audit log, oldest first; {@code next} is the {@code before} of the page of older entries, null when none can be. */
    static Map<String, Object> auditPage(List<AuditEntry> entries, int limit) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("entries", entries.stream().map(ApiDocs::audit).toList());
        m.put("next", entries.size() == limit && entries.get(0).seq() > 1 ? entries.get(0).seq() : null);
        return m;
    }

    /** An API token as listed: never the token itself. */
    public static Map<String, Object> token(TokenInfo i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", i.name());
        m.put("role", i.role().label());
        m.put("createdAt", time(i.createdAt()));
        m.put("createdBy", i.createdBy());
        m.put("lastUsedAt", time(i.lastUsedAt()));
        return m;
    }

    /** A token just made: as listed, plus the token, shown this once. */
    public static Map<String, Object> newToken(NewToken t) {
        Map<String, Object> m = token(t.info());
        m.put("token", t.secret());
        return m;
    }

    /** A netboot assignment; {@code order} is its place among assignments (the lowest-ordered tag wins). */
    static Map<String, Object> assignment(NetbootAssignment a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", a.kind().label());
        m.put("target", a.target());
        m.put("image", a.image());
        m.put("order", a.seq());
        m.put("assignedAt", time(a.createdAt()));
        return m;
    }

    /** A netboot assignment with the known devices it decides now. */
    public static Map<String, Object> netbootAssignment(NetbootAssignmentView v) {
        Map<String, Object> m = assignment(v.assignment());
        m.put("devices", v.devices());
        return m;
    }

    private static String time(Instant t) {
        return t == null ? null : t.toString();
    }
}
