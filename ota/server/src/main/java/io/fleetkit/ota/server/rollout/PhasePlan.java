package io.fleetkit.ota.server.rollout;

import io.fleetkit.events.UsageException;
import java.util.ArrayList;
import java.util.List;

/**
 * How a rollout grows: a list of steps, each either a count ({@code 1}: one more device) or a
 * share of the selected devices reached by the end of that phase ({@code 10%}: 10% in total,
 * rounded up). The last phase always takes everyone left. Phases that would add nobody are dropped.
 */
public record PhasePlan(List<PhaseStep> steps) {

    public static final PhasePlan DEFAULT = parse("1,10%,50%,100%");

    public PhasePlan {
        steps = List.copyOf(steps);
        if (steps.isEmpty()) {
            throw new UsageException("rollout.bad-phases", "no phases given", "Use e.g. --phases 1,10%,50%,100%.");
        }
    }

    public static PhasePlan parse(String text) {
        List<PhaseStep> steps = new ArrayList<>();
        for (String raw : text.split(",")) {
            steps.add(step(raw.trim(), text));
        }
        return new PhasePlan(steps);
    }

    private static PhaseStep step(String s, String text) {
        try {
            if (s.endsWith("%")) {
                double pct = Double.parseDouble(s.substring(0, s.length() - 1));
                if (pct > 0 && pct <= 100) {
                    return new PhaseStep.Share(pct, s);
                }
            } else {
                int n = Integer.parseInt(s);
                if (n >= 1) {
                    return new PhaseStep.Count(n);
                }
            }
        } catch (NumberFormatException e) {
            // reported below with the whole plan
        }
        throw new UsageException("rollout.bad-phases", "phase '" + s + "' in '" + text + "' is neither a count >= 1 nor a share 0%..100%",
                "Use e.g. --phases 1,10%,50%,100%.");
    }

    /** Phase sizes for {@code devices} devices: non-empty, summing to {@code devices}. */
    public List<Integer> sizes(int devices) {
        List<Integer> sizes = new ArrayList<>();
        int reached = 0;
        for (PhaseStep s : steps) {
            int target = Math.min(devices, s.reach(reached, devices));
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
        return String.join(",", steps.stream().map(PhaseStep::toString).toList());
    }
}
