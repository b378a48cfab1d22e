package io.fleetkit.ota.protocol;

import io.fleetkit.json.JsonFields;
import java.util.Map;

/**
 * The retained {@code desired} message: the version a device should run, from which rollout,
 * and the bundle that carries it; {@link #none()} ({@code "version":null}) means "stay as you are".
 * {@code url} is optional (HTTP range download of the same bundle).
 */
public record DesiredUpdate(String version, long versionNumber, String rollout, BundleRef bundle, String url) {

    public DesiredUpdate {
        if (version != null && (bundle == null || rollout == null)) {
            throw new IllegalArgumentException("a desired version needs its rollout and bundle");
        }
    }

    public static DesiredUpdate none() {
        return new DesiredUpdate(null, 0, null, null, null);
    }

    public boolean isNone() {
        return version == null;
    }

    public byte[] encode() {
        Map<String, Object> m = Messages.start();
        m.put("version", version);
        if (version != null) {
            m.put("versionNumber", versionNumber);
            m.put("rollout", rollout);
            m.put("bundle", bundle.toMap());
            if (url != null) {
                m.put("url", url);
            }
        }
        return Messages.bytes(m);
    }

    public static DesiredUpdate decode(byte[] payload) {
        JsonFields f = MessageJson.parse(payload, "desired update", Schema.MAX_JSON_BYTES);
        String version = MessageJson.optionalName(f, "version");
        if (version == null) {
            return none();
        }
        JsonFields bundle = f.optionalObject("bundle");
        if (bundle == null) {
            throw f.missing("bundle");
        }
        return new DesiredUpdate(version, f.requiredNonNegative("versionNumber"), MessageJson.requiredName(f, "rollout"),
                BundleRef.from(bundle), f.optionalString("url", 2048));
    }
}
