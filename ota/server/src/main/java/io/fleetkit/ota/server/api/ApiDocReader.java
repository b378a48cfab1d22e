package io.fleetkit.ota.server.api;

import io.fleetkit.events.FleetkitException;
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
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
        Doc d = Doc.of(json, "device page");
        return new DevicePage(d.list("devices").stream().map(ApiDocReader::device).toList(), d.string("next"));
    }

    public static DeviceRecord device(Object json) {
        Doc d = Doc.of(json, "device");
        return new DeviceRecord(d.required("id"), d.string("board"), d.string("version"), d.number("versionNumber"), d.string("slot"),
                d.stringMap("slots"), d.enumValue("updateState", UpdateState.class), d.string("updateTarget"), d.decimal("updateProgress"),
                d.string("updateReason"), d.number("freeBytes"), d.number("uptimeSeconds"), d.string("agent"), d.strings("tags"),
                d.bool("online"), d.time("lastSeen"), desired(d.get("desired")), d.strings("macs"), d.string("serial"),
                d.string("hostname"), d.stringMap("settings"), d.string("certificateSerial"), d.time("certificateNotAfter"));
    }

    static DesiredUpdate desired(Object json) {
        if (json == null) {
            return null;
        }
        Doc d = Doc.of(json, "desired update");
        Object bundle = d.get("bundle");
        try {
            return new DesiredUpdate(d.string("version"), d.number("versionNumber"), d.string("rollout"),
                    bundle == null ? null : bundleRef(bundle), d.string("url"));
        } catch (IllegalArgumentException e) {
            throw Doc.bad("desired update", e.getMessage());
        }
    }

    static BundleRef bundleRef(Object json) {
        Doc d = Doc.of(json, "bundle reference");
        try {
            return new BundleRef(d.required("sha256"), d.number("size"), d.number("headerSize"), d.integer("chunkSize"), d.integer("chunks"));
        } catch (IllegalArgumentException e) {
            throw Doc.bad("bundle reference", e.getMessage());
        }
    }

    public static DeviceView deviceView(Object json) {
        Doc d = Doc.of(json, "device view");
        DeviceRecord device = device(d.get("device"));
        return new DeviceView(device, d.list("events").stream().map(e -> event(device.id(), e)).toList(),
                d.list("revocations").stream().map(ApiDocReader::revocation).toList());
    }

    /** An event of the device {@code deviceId} (the form leaves the id to the device it is listed under). */
    static EventRecord event(String deviceId, Object json) {
        Doc d = Doc.of(json, "event");
        return new EventRecord(deviceId, d.number("seq"), d.enumValue("state", UpdateState.class), d.string("target"), d.string("reason"),
                d.string("message"), d.time("ts"), d.time("receivedAt"));
    }

    public static Revocation revocation(Object json) {
        Doc d = Doc.of(json, "revocation");
        return new Revocation(d.required("deviceId"), d.string("serial"), d.string("reason"), d.time("revokedAt"));
    }

    public static PublishedBundle bundle(Object json) {
        Doc d = Doc.of(json, "bundle");
        return new PublishedBundle(d.required("sha256"), d.required("name"), d.string("version"), d.number("versionNumber"), d.string("board"),
                d.number("size"), d.number("headerSize"), d.integer("chunkSize"), d.integer("chunks"), d.string("path"), d.time("publishedAt"));
    }

    public static Rollout rollout(Object json) {
        Doc d = Doc.of(json, "rollout");
        return new Rollout(d.required("id"), d.string("target"), d.string("selector"), d.string("phases"), d.decimal("maxFailures"),
                Duration.ofSeconds(d.number("timeoutSeconds")), d.enumValue("state", RolloutState.class), d.integer("currentPhase"),
                d.integer("phaseCount"), d.integer("acceptedFailures"), d.string("reason"), d.time("createdAt"), d.time("updatedAt"));
    }

    public static RolloutStatus status(Object json) {
        Doc d = Doc.of(json, "rollout status");
        Rollout r = rollout(d.get("rollout"));
        return new RolloutStatus(r, d.list("phases").stream().map(ApiDocReader::phase).toList(),
                d.list("devices").stream().map(x -> rolloutDevice(r.id(), x)).toList());
    }

    static PhaseCounts phase(Object json) {
        Doc d = Doc.of(json, "phase");
        return new PhaseCounts(d.integer("phase"), d.integer("total"), d.integer("pending"), d.integer("offered"), d.integer("succeeded"),
                d.integer("failed"), d.integer("timedOut"));
    }

    static RolloutDevice rolloutDevice(String rolloutId, Object json) {
        Doc d = Doc.of(json, "rollout device");
        return new RolloutDevice(rolloutId, d.required("deviceId"), d.integer("phase"), d.string("bundleSha256"),
                d.enumValue("state", DeviceRolloutState.class), d.string("reason"), d.time("offeredAt"), d.time("updatedAt"));
    }

    public static AuditEntry audit(Object json) {
        Doc d = Doc.of(json, "audit entry");
        return new AuditEntry(d.number("seq"), d.time("at"), d.required("actor"), d.required("source"), d.required("action"),
                d.string("target"), d.string("detail"));
    }

    /** The entries of an audit page ({@link ApiDocs#auditPage}). */
    public static List<AuditEntry> auditEntries(Object json) {
        return Doc.of(json, "audit page").list("entries").stream().map(ApiDocReader::audit).toList();
    }

    public static TokenInfo token(Object json) {
        Doc d = Doc.of(json, "token");
        Role role;
        try {
            role = Role.parse(d.required("role"));
        } catch (FleetkitException e) {
            throw Doc.bad("token", e.getMessage());
        }
        return new TokenInfo(d.required("name"), role, d.time("createdAt"), d.string("createdBy"), d.time("lastUsedAt"));
    }

    public static NewToken newToken(Object json) {
        return new NewToken(token(json), Doc.of(json, "new token").required("token"));
    }

    public static NetbootAssignment assignment(Object json) {
        Doc d = Doc.of(json, "netboot assignment");
        return new NetbootAssignment(d.enumValue("kind", NetbootAssignment.Kind.class), d.required("target"), d.required("image"),
                d.number("order"), d.time("assignedAt"));
    }

    public static NetbootAssignmentView netbootAssignment(Object json) {
        return new NetbootAssignmentView(assignment(json), Doc.of(json, "netboot assignment").strings("devices"));
    }

    /** One JSON object of an answer, read field by field with the type each field must have. */
    static final class Doc {

        private final Map<?, ?> map;
        private final String what;

        private Doc(Map<?, ?> map, String what) {
            this.map = map;
            this.what = what;
        }

        static Doc of(Object json, String what) {
            if (json instanceof Map<?, ?> m) {
                return new Doc(m, what);
            }
            throw bad(what, "not a JSON object");
        }

        static FleetkitException bad(String what, String detail) {
            return new FleetkitException("remote.bad-answer", "the server's answer is not a fleet " + what + ": " + detail,
                    "Check that --server names a fleet server's API (`fleet server --api-port`) of this fleet version.");
        }

        Object get(String field) {
            return map.get(field);
        }

        String string(String field) {
            Object v = map.get(field);
            if (v == null || v instanceof String) {
                return (String) v;
            }
            throw bad(what, "'" + field + "' is not a string");
        }

        String required(String field) {
            String s = string(field);
            if (s == null) {
                throw bad(what, "'" + field + "' is missing");
            }
            return s;
        }

        long number(String field) {
            if (map.get(field) instanceof Long l) {
                return l;
            }
            throw bad(what, "'" + field + "' is not a whole number");
        }

        int integer(String field) {
            long v = number(field);
            if (v != (int) v) {
                throw bad(what, "'" + field + "' is out of range");
            }
            return (int) v;
        }

        double decimal(String field) {
            if (map.get(field) instanceof Number n) {
                return n.doubleValue();
            }
            throw bad(what, "'" + field + "' is not a number");
        }

        boolean bool(String field) {
            if (map.get(field) instanceof Boolean b) {
                return b;
            }
            throw bad(what, "'" + field + "' is not true or false");
        }

        Instant time(String field) {
            String s = string(field);
            try {
                return s == null ? null : Instant.parse(s);
            } catch (DateTimeParseException e) {
                throw bad(what, "'" + field + "' is not an ISO-8601 time");
            }
        }

        <E extends Enum<E>> E enumValue(String field, Class<E> type) {
            String s = required(field);
            try {
                return Enum.valueOf(type, s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw bad(what, "'" + field + "' is not one of " + java.util.Arrays.toString(type.getEnumConstants()));
            }
        }

        List<?> list(String field) {
            if (map.get(field) instanceof List<?> l) {
                return l;
            }
            throw bad(what, "'" + field + "' is not a list");
        }

        List<String> strings(String field) {
            List<?> l = list(field);
            if (!l.stream().allMatch(x -> x instanceof String)) {
                throw bad(what, "'" + field + "' is not a list of strings");
            }
            return l.stream().map(String.class::cast).toList();
        }

        /** A map of strings to strings (values may be null: an empty slot). */
        Map<String, String> stringMap(String field) {
            if (!(map.get(field) instanceof Map<?, ?> m)) {
                throw bad(what, "'" + field + "' is not an object");
            }
            Map<String, String> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (e.getValue() != null && !(e.getValue() instanceof String)) {
                    throw bad(what, "'" + field + "." + e.getKey() + "' is not a string");
                }
                out.put((String) e.getKey(), (String) e.getValue());
            }
            return out;
        }
    }
}
