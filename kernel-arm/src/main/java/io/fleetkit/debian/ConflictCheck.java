package io.fleetkit.debian;

import io.fleetkit.events.FleetkitException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Fails when two chosen packages Conflict or Break each other, by name or through a virtual
 * name one of them provides. A package never conflicts with itself (the usual
 * "Provides: x, Conflicts: x" of a sole provider).
 *
 * @param chain renders how a package was pulled in, for the error message
 */
record ConflictCheck(Collection<BinaryPackage> chosen, Function<String, String> chain) {


    void check() {
        Map<String, BinaryPackage> byName = new TreeMap<>();
        Map<String, List<PackageIndex.Provider>> provided = new HashMap<>();
        for (BinaryPackage p : chosen) {
            byName.put(p.name(), p);
            for (Relation r : p.provides()) {
                for (RelationAlternative a : r.alternatives()) {
                    provided.computeIfAbsent(a.name(), k -> new ArrayList<>())
                            .add(new PackageIndex.Provider(p, a.op() == VersionOp.EQUAL ? a.version() : null));
                }
            }
        }
        for (BinaryPackage p : byName.values()) {
            check(p, "Conflicts", p.conflicts(), byName, provided);
            check(p, "Breaks", p.breaks(), byName, provided);
        }
    }

    private void check(BinaryPackage p, String field, List<Relation> relations, Map<String, BinaryPackage> byName,
                       Map<String, List<PackageIndex.Provider>> provided) {
        for (Relation r : relations) {
            for (RelationAlternative a : r.alternatives()) {
                BinaryPackage q = byName.get(a.name());
                if (q != null && q != p && a.satisfiedBy(q.version())) {
                    throw conflict(p, field, a, q);
                }
                Set<String> names = new TreeSet<>();
                for (PackageIndex.Provider pr : provided.getOrDefault(a.name(), List.of())) {
                    boolean hit = !a.isVersioned() || (pr.providedVersion() != null && a.satisfiedBy(pr.providedVersion()));
                    if (pr.pkg() != p && hit && names.add(pr.pkg().name())) {
                        throw conflict(p, field, a, pr.pkg());
                    }
                }
            }
        }
    }

    private FleetkitException conflict(BinaryPackage p, String field, RelationAlternative a, BinaryPackage q) {
        return new FleetkitException("debian.conflict",
                p.name() + " " + p.version() + " " + field + ": " + a + ", but " + q.name() + " " + q.version()
                        + " is chosen too (" + chain.apply(p.name()) + "; " + chain.apply(q.name()) + ")",
                "exclude one of the two, or pin versions that fit together");
    }
}
