package io.fleetkit.spec;

import io.fleetkit.events.FleetkitException;
import java.util.List;

/**
 * A spec that cannot be built, with every problem found (up to {@link SpecProblems#LIMIT}),
 * one per line of the message, so the user can fix them all in one go.
 */
public final class SpecException extends FleetkitException {

    public static final String CODE = "spec.invalid";
    static final String FIX = "fix the lines above; see examples/qemu-arm64.yml for a complete, commented spec";

    private final List<SpecProblem> problems;
    private final int omitted;

    SpecException(List<SpecProblem> problems, int omitted) {
        super(CODE, render(problems, omitted), FIX);
        this.problems = List.copyOf(problems);
        this.omitted = omitted;
    }

    /** The problems reported, in reading order. */
    public List<SpecProblem> problems() {
        return problems;
    }

    /** How many further problems were found but not reported because of the limit. */
    public int omitted() {
        return omitted;
    }

    private static String render(List<SpecProblem> problems, int omitted) {
        int total = problems.size() + omitted;
        StringBuilder text = new StringBuilder("invalid image spec (")
                .append(total).append(total == 1 ? " problem):" : " problems):");
        for (SpecProblem problem : problems) {
            text.append('\n').append(problem);
        }
        if (omitted > 0) {
            text.append("\n... and ").append(omitted).append(" more");
        }
        return text.toString();
    }
}
