package io.fleetkit.ota.server.api;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.json.JsonFields;
import io.fleetkit.ota.protocol.BundleRef;
import io.fleetkit.ota.protocol.DesiredUpdate;
import io.fleetkit.ota.protocol.UpdateState;
import io.fleetkit.ota.server.DeviceView;
import io.fleetkit.ota.server.NetbootAssignmentView;
import io.fleetkit.ota.server.access.AuditEntry;
import io.fleetkit.ota.server.access.NewToken;
import io.fleetkit.ota.server.access.Role;
import io.fleetkit.ota.server.access.TokenInfo;
import io.fleetkit.ota.server.bundles.PublishedBundle;
import io.fleetkit.ota.server.db.DevicePage;
import io.fleetkit.ota.server.db.DeviceRecord;
import io.fleetkit.ota.server.db.EventRecord;
import io.fleetkit.ota.server.db.NetbootAssignment;
import io.fleetkit.ota.server.rollout.DeviceRolloutState;
import io.fleetkit.ota.server.rollout.PhaseCounts;
import io.fleetkit.ota.server.rollout.Rollout;
import io.fleetkit.ota.server.rollout.RolloutDevice;
import io.fleetkit.ota.server.rollout.RolloutState;
import io.fleetkit.ota.server.rollout.RolloutStatus;
import io.fleetkit.ota.server.security.Revocation;
import java.time.Duration;
import java.util.List;

/**
 * The fleet's values read back from their JSON form ({@link ApiDocs}, the one definition of it): what the remote
 * fleet client makes of the API's answers. Each reader mirrors the writer of the same name; a test holds every pair to
 * a round trip. An answer that does not have the form is {@code remote.bad-answer} (the server is another program, or
 * not a fleet server at all).
 */
public final class ApiDocReader {

    private ApiDocReader() {
    }

    public static DevicePage page(Object json) {
        JsonFields d = doc(json, "device page");
        return new DevicePage(d.requiredList("devices").stream().map(ApiDocReader::device).toList(), d.optionalString("next"));
    }

    public static DeviceRecord device(Object json) {
        JsonFields d = doc(json, "device");
        return new DeviceRecord(d.requiredString("id"), d.optionalString("board"), d.optionalString("version"),
                d.requiredLong("versionNumber"), d.optionalString("slot"),
                d.requiredStringMap("slots"), d.requiredEnum("updateState", UpdateState.class),
                d.optionalString("updateTarget"), d.requiredDouble("updateProgress"),
                d.optionalString("updateReason"), d.requiredLong("freeBytes"), d.requiredLong("uptimeSeconds"),
                d.optionalString("agent"), d.requiredStrings("tags"),
                d.requiredBoolean("online"), d.optionalInstant("lastSeen"), desired(d.get("desired")),
                d.requiredStrings("macs"), d.optionalString("serial"),
                d.optionalString("hostname"), d.requiredStringMap("settings"), d.optionalString("certificateSerial"),
                d.optionalInstant("certificateNotAfter"));
    }

    static DesiredUpdate desired(Object json) {
        if (json == null) {
            return null;
        }
        JsonFields d = doc(json, "desired update");
        Object bundle = d.get("bundle");
        try {
            return new DesiredUpdate(d.optionalString("version"), d.requiredLong("versionNumber"), d.optionalString("rollout"),
                    bundle == null ? null : bundleRef(bundle), d.optionalString("url"));
        } catch (IllegalArgumentException e) {
            throw bad("desired update", e.getMessage());
        }
    }

    static BundleRef bundleRef(Object json) {
        JsonFields d = doc(json, "bundle reference");
        try {
            return new BundleRef(d.requiredString("sha256"), d.requiredLong("size"), d.requiredLong("headerSize"),
                    d.requiredInt("chunkSize"), d.requiredInt("chunks"));
        } catch (IllegalArgumentException e) {
            throw bad("bundle reference", e.getMessage());
        }
    }

    public static DeviceView deviceView(Object json) {
        JsonFields d = doc(json, "device view");
        DeviceRecord device = device(d.get("device"));
        return new DeviceView(device, d.requiredList("events").stream().map(e -> event(device.id(), e)).toList(),
                d.requiredList("revocations").stream().map(ApiDocReader::revocation).toList());
    }

    /** An event of the device {@code deviceId} (the form leaves the id to the device it is listed under). */
    static EventRecord event(String deviceId, Object json) {
        JsonFields d = doc(json, "event");
        return new EventRecord(deviceId, d.requiredLong("seq"), d.requiredEnum("state", UpdateState.class),
                d.optionalString("target"), d.optionalString("reason"),
                d.optionalString("message"), d.optionalInstant("ts"), d.optionalInstant("receivedAt"));
    }

    public static Revocation revocation(Object json) {
        JsonFields d = doc(json, "revocation");
        return new Revocation(d.requiredString("deviceId"), d.optionalString("serial"), d.optionalString("reason"),
                d.optionalInstant("revokedAt"));
    }

    public static PublishedBundle bundle(Object json) {
        JsonFields d = doc(json, "bundle");
        return new PublishedBundle(d.requiredString("sha256"), d.requiredString("name"), d.optionalString("version"),
                d.requiredLong("versionNumber"), d.optionalString("board"),
                d.requiredLong("size"), d.requiredLong("headerSize"), d.requiredInt("chunkSize"), d.requiredInt("chunks"),
                d.optionalString("path"), d.optionalInstant("publishedAt"));
    }

    public static Rollout rollout(Object json) {
        JsonFields d = doc(json, "rollout");
        return new Rollout(d.requiredString("id"), d.optionalString("target"), d.optionalString("selector"),
                d.optionalString("phases"), d.requiredDouble("maxFailures"),
                Duration.ofSeconds(d.requiredLong("timeoutSeconds")), d.requiredEnum("state", RolloutState.class),
                d.requiredInt("currentPhase"),
                d.requiredInt("phaseCount"), d.requiredInt("acceptedFailures"), d.optionalString("reason"),
                d.optionalInstant("createdAt"), d.optionalInstant("updatedAt"));
    }

    public static RolloutStatus status(Object json) {
        JsonFields d = doc(json, "rollout status");
        Rollout r = rollout(d.get("rollout"));
        return new RolloutStatus(r, d.requiredList("phases").stream().map(ApiDocReader::phase).toList(),
                d.requiredList("devices").stream().map(x -> rolloutDevice(r.id(), x)).toList());
    }

    static PhaseCounts phase(Object json) {
        JsonFields d = doc(json, "phase");
        return new PhaseCounts(d.requiredInt("phase"), d.requiredInt("total"), d.requiredInt("pending"),
                d.requiredInt("offered"), d.requiredInt("succeeded"),
                d.requiredInt("failed"), d.requiredInt("timedOut"));
    }

    static RolloutDevice rolloutDevice(String rolloutId, Object json) {
        JsonFields d = doc(json, "rollout device");
        return new RolloutDevice(rolloutId, d.requiredString("deviceId"), d.requiredInt("phase"), d.optionalString("bundleSha256"),
                d.requiredEnum("state", DeviceRolloutState.class), d.optionalString("reason"), d.optionalInstant("offeredAt"),
                d.optionalInstant("updatedAt"));
    }

    public static AuditEntry audit(Object json) {
        JsonFields d = doc(json, "audit entry");
        return new AuditEntry(d.requiredLong("seq"), d.optionalInstant("at"), d.requiredString("actor"),
                d.requiredString("source"), d.requiredString("action"),
                d.optionalString("target"), d.optionalString("detail"));
    }

    /** The entries of an audit page ({@link ApiDocs#auditPage}). */
    public static List<AuditEntry> auditEntries(Object json) {
        return doc(json, "audit page").requiredList("entries").stream().map(ApiDocReader::audit).toList();
    }

    public static TokenInfo token(Object json) {
        JsonFields d = doc(json, "token");
        Role role;
        try {
            role = Role.parse(d.requiredString("role"));
        } catch (FleetkitException e) {
            throw bad("token", e.getMessage());
        }
        return new TokenInfo(d.requiredString("name"), role, d.optionalInstant("createdAt"), d.optionalString("createdBy"),
                d.optionalInstant("lastUsedAt"));
    }

    public static NewToken newToken(Object json) {
        return new NewToken(token(json), doc(json, "new token").requiredString("token"));
    }

    public static NetbootAssignment assignment(Object json) {
        JsonFields d = doc(json, "netboot assignment");
        return new NetbootAssignment(d.requiredEnum("kind", NetbootAssignment.Kind.class), d.requiredString("target"),
                d.requiredString("image"),
                d.requiredLong("order"), d.optionalInstant("assignedAt"));
    }

    public static NetbootAssignmentView netbootAssignment(Object json) {
        return new NetbootAssignmentView(assignment(json), doc(json, "netboot assignment").requiredStrings("devices"));
    }

    /** One JSON object of an answer, read field by field with the type each field must have. */
    static JsonFields doc(Object json, String what) {
        return JsonFields.of(what, json, ApiDocReader::bad);
    }

    static FleetkitException bad(String what, String detail) {
        return new FleetkitException("remote.bad-answer", "the server's answer is not a fleet " + what + ": " + detail,
                "Check that --server names a fleet server's API (`fleet server --api-port`) of this fleet version.");
    }
}
