package io.fleetkit.ota.protocol;

import io.fleetkit.json.JsonFields;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code update} part of a device report: state, the version being installed, progress 0..1, failure reason. */
public record UpdateStatus(UpdateState state, String target, double progress, String reason) {

    public static final UpdateStatus IDLE = new UpdateStatus(UpdateState.IDLE, null, 0.0, null);

    public UpdateStatus {
        if (state == null) {
            throw new IllegalArgumentException("update state is required");
        }
        if (Double.isNaN(progress) || progress < 0 || progress > 1) {
            throw new IllegalArgumentException("progress must be 0..1, is " + progress);
        }
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", state.name());
        m.put("target", target);
        m.put("progress", progress);
        m.put("reason", reason);
        return m;
    }

    static UpdateStatus from(JsonFields f) {
        if (f == null) {
            return IDLE;
        }
        UpdateState state = UpdateState.parse(f.requiredString("state", 32), f.what());
        double progress = f.optionalDouble("progress", 0.0);
        if (Double.isNaN(progress) || progress < 0 || progress > 1) {
            throw ProtocolException.malformed(f.what(), "'progress' must be 0..1");
        }
        return new UpdateStatus(state, MessageJson.optionalName(f, "target"), progress, f.optionalString("reason", Schema.MAX_TEXT));
    }
}
