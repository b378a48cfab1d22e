package io.fleetkit.spec;

import java.util.ArrayList;
import java.util.List;

/** Collects problems while a spec is read, so all of them are reported at once. */
final class SpecProblems {

    /** Beyond this many, the rest are counted, not listed: later ones are usually echoes. */
    static final int LIMIT = 50;

    private final List<SpecProblem> problems = new ArrayList<>();

    void add(SpecLocation location, String path, String message) {
        problems.add(new SpecProblem(location, path, message));
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    /** Throws a {@link SpecException} listing what was collected, if anything was. */
    void throwIfAny() {
        if (problems.isEmpty()) {
            return;
        }
        List<SpecProblem> sorted = new ArrayList<>(problems);
        sorted.sort(SpecProblem.READING_ORDER);
        int shown = Math.min(LIMIT, sorted.size());
        throw new SpecException(sorted.subList(0, shown), sorted.size() - shown);
    }
}
