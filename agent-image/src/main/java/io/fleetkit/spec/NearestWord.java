package io.fleetkit.spec;

import io.fleetkit.events.EditDistance;
import java.util.Collection;
import java.util.Optional;

/** Finds the known word a typo was most likely meant to be (edit distance, small budget). */
final class NearestWord {

    private NearestWord() {
    }

    static Optional<String> among(String typed, Collection<String> known) {
        String lower = typed.toLowerCase(java.util.Locale.ROOT);
        // A third of the word may be wrong, at least one letter, at most three.
        int budget = Math.max(1, Math.min(3, lower.length() / 3));
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known.stream().sorted().toList()) { // sorted: ties resolve the same way every run
            int distance = EditDistance.between(lower, candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return bestDistance <= budget ? Optional.of(best) : Optional.empty();
    }
}
