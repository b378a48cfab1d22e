package io.fleetkit.ota.protocol;

import io.fleetkit.json.JsonFields;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where a device report stands among its device's reports: {@code run} counts the agent's starts
 * on the device and {@code n} the reports of that run; {@code epoch} names the count (random, made
 * when the device's data partition first counted a start), so a device whose data was wiped starts
 * a new count instead of being taken for an old one. Brokers may deliver a device's reports out of
 * order (Mosquitto under load, an old connection's last message after a reconnect, a broker
 * cluster), so the server applies a report only when it {@link #supersedes} the one applied last;
 * the device's clock plays no part.
 */
public record ReportOrder(String epoch, long run, long n) {

    /** 16 lowercase hex digits. */
    public static final Pattern EPOCH = Pattern.compile("[0-9a-f]{16}");

    public ReportOrder {
        if (epoch == null || !EPOCH.matcher(epoch).matches()) {
            throw ProtocolException.malformed("report order", "epoch '" + Text.shorten(String.valueOf(epoch)) + "' is not 16 hex digits");
        }
        if (run < 0 || n < 0) {
            throw ProtocolException.malformed("report order", "run and n must not be negative: " + run + "/" + n);
        }
    }

    /** True when this report was sent after {@code applied}: a later run or report of the same count, or a new count. */
    public boolean supersedes(ReportOrder applied) {
        if (!epoch.equals(applied.epoch)) {
            return true;
        }
        return run != applied.run ? run > applied.run : n > applied.n;
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", epoch);
        m.put("run", run);
        m.put("n", n);
        return m;
    }

    static ReportOrder from(JsonFields f) {
        if (f == null) {
            return null;
        }
        return new ReportOrder(f.requiredString("epoch", 16), f.requiredNonNegative("run"), f.requiredNonNegative("n"));
    }
}
