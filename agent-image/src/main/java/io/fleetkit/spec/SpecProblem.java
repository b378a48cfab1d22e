package io.fleetkit.spec;

import java.util.Comparator;

/**
 * One thing wrong with a spec, rendered as {@code file:line:column: path: message}, e.g.
 * {@code gateway.yml:12:7: services[1].restart: 'sometimes' is not one of always, on-failure, never}.
 * {@code path} is the property path ({@code services[1].restart}); empty for whole-document problems.
 */
public record SpecProblem(SpecLocation location, String path, String message) {

    static final Comparator<SpecProblem> READING_ORDER = Comparator
            .comparingInt((SpecProblem p) -> p.location().fileIndex())
            .thenComparingInt(p -> p.location().line())
            .thenComparingInt(p -> p.location().column());

    @Override
    public String toString() {
        return location + ": " + (path.isEmpty() ? "" : path + ": ") + message;
    }
}
