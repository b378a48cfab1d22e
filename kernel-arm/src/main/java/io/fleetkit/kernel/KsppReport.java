package io.fleetkit.kernel;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A kernel config held against the KSPP recommendations: each recommendation is MET, MISSING
 * (the config does not mention the option: this kernel does not offer it or its dependencies
 * are off) or CONTRARY (the config sets it otherwise).
 */
public record KsppReport(List<Row> rows) {

    public enum Status { MET, MISSING, CONTRARY }

    /**
     * @param option      e.g. {@code CONFIG_RANDOMIZE_BASE}
     * @param recommended recommended value; {@code n} means "is not set"
     * @param actual      value in the config, {@code n} for "is not set", null when absent
     */
    public record Row(String option, String recommended, String actual, Status status, String why) {
    }

    public KsppReport {
        rows = List.copyOf(rows);
    }

    public static KsppReport compare(KernelConfig config, List<KsppRecommendation> recommendations) {
        List<Row> rows = new ArrayList<>();
        for (KsppRecommendation rec : recommendations) {
            String actual = config.value(rec.option());
            rows.add(new Row(rec.option(), rec.value(), actual, status(rec, actual), rec.why()));
        }
        return new KsppReport(rows);
    }

    private static Status status(KsppRecommendation rec, String actual) {
        if (rec.wantsUnset()) {
            // An option the config does not mention is off, which is what is wanted.
            return actual == null || KernelConfig.NOT_SET.equals(actual) ? Status.MET : Status.CONTRARY;
        }
        if (actual == null) {
            return Status.MISSING;
        }
        return rec.value().equals(actual) ? Status.MET : Status.CONTRARY;
    }

    public int count(Status status) {
        return (int) rows.stream().filter(r -> r.status() == status).count();
    }

    /** Counts for every status, zero included, in enum order. */
    public Map<Status, Integer> counts() {
        Map<Status, Integer> counts = new EnumMap<>(Status.class);
        for (Status status : Status.values()) {
            counts.put(status, count(status));
        }
        return counts;
    }

    public List<Row> rowsWith(Status status) {
        return rows.stream().filter(r -> r.status() == status).toList();
    }

    /** E.g. "41 met, 6 missing, 12 contrary of 59 KSPP recommendations". */
    public String summary() {
        return count(Status.MET) + " met, " + count(Status.MISSING) + " missing, "
                + count(Status.CONTRARY) + " contrary of " + rows.size() + " KSPP recommendations";
    }
}
