package io.fleetkit.ota.server.rollout;

import io.fleetkit.events.UsageException;
import java.util.ArrayList;
import java.util.List;

/**
 * How a rollout grows: a list of steps, each either a count ({@code 1}: one more device) or a
 * share of the selected devices reached by the end of that phase ({@code 10%}: 10% in total,
 * rounded up). The last phase always takes everyone left. Phases that would add nobody are dropped.
 */
public record PhasePlan(List<String> steps) {

    public static final PhasePlan DEFAULT = parse("1,10%,50%,100%");

    public PhasePlan {
        steps = List.copyOf(steps);
        if (steps.isEmpty()) {
            throw new UsageException("rollout.bad-phases", "no phases given", "Use e.g. --phases 1,10%,50%,100%.");
        }
    }

    public static PhasePlan parse(String text) {
        List<String> steps = new ArrayList<>();
        for (String raw : text.split(",")) {
            String s = raw.trim();
            try {
                if (s.endsWith("%")) {
                    double pct = Double.parseDouble(s.substring(0, s.length() - 1));
                    if (!(pct > 0 && pct <= 100)) {
                        throw new NumberFormatException();
                    }
                } else if (Integer.parseInt(s) < 1) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw new UsageException("rollout.bad-phases", "phase '" + s + "' in '" + text + "' is neither a count >= 1 nor a share 0%..100%",
                        "Use e.g. --phases 1,10%,50%,100%.");
            }
            steps.add(s);
        }
        return new PhasePlan(steps);
    }

    /** Phase sizes for {@code devices} devices: non-empty, summing to {@code devices}. */
    public List<Integer> sizes(int devices) {
        List<Integer> sizes = new ArrayList<>();
        int reached = 0;
        for (String s : steps) {
            int target;
            if (s.endsWith("%")) {
                double pct = Double.parseDouble(s.substring(0, s.length() - 1));
                target = (int) Math.ceil(devices * pct / 100.0 - 1e-9);
            } else {
                target = reached + Integer.parseInt(s);
            }
            target = Math.min(devices, target);
            if (target > reached) {
                sizes.add(target - reached);
                reached = target;
            }
        }
        if (reached < devices) {
            if (sizes.isEmpty()) {
                sizes.add(devices - reached);
            } else {
                sizes.set(sizes.size() - 1, sizes.get(sizes.size() - 1) + devices - reached);
            }
        }
        return sizes;
    }

    @Override
    public String toString() {
        return String.join(",", steps);
    }
}
