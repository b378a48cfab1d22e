package io.fleetkit.debian;

import io.fleetkit.events.EventSink;
import io.fleetkit.events.FleetkitException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Computes the closure of requested packages over Pre-Depends and Depends (never Recommends or
 * Suggests). Greedy and deterministic: requests are taken in name order, relations in field
 * order, and for each relation the first alternative that can be satisfied wins, unless one is
 * already satisfied by a chosen package. See {@link #resolve} for the rules on virtual names,
 * exclusions and pins.
 */
public final class Resolver {

    private static final String TASK = "resolve";

    private final PackageIndex index;
    private final EventSink events;

    public Resolver(PackageIndex index, EventSink events) {
        this.index = index;
        this.events = events;
    }

    /**
     * @param requests names, or {@code name=version} to pin a version
     * @param excluded names never chosen; a relation only they could satisfy is dropped with a warning
     */
    public Resolution resolve(Collection<String> requests, Collection<String> excluded) {
        Map<String, DebianVersion> pins = new TreeMap<>();
        for (String r : requests) {
            int eq = r.indexOf('=');
            String name = (eq < 0 ? r : r.substring(0, eq)).strip();
            DebianVersion pin = eq < 0 ? null : DebianVersion.parse(r.substring(eq + 1).strip());
            if (name.isEmpty()) {
                throw new FleetkitException("debian.bad-request", "empty package name in request '" + r + "'",
                        "write package names as 'name' or 'name=version'");
            }
            DebianVersion before = pins.put(name, pin);
            if (before != null && (pin == null || !before.equals(pin))) {
                throw new FleetkitException("debian.bad-request",
                        "package " + name + " is requested twice with different versions (" + before + ", " + pin + ")",
                        "request each package once");
            }
            if (pin == null && before != null) {
                pins.put(name, before);
            }
        }
        Run run = new Run(pins, Set.copyOf(excluded));
        for (String name : pins.keySet()) {
            run.request(name);
        }
        run.closure();
        new ConflictCheck(run.chosen.values(), run::chainText).check();
        Resolution res = new Resolution(new ArrayList<>(run.chosen.values()), run.why);
        events.info(TASK, "resolved " + res.packages().size() + " packages, " + res.downloadSize() + " bytes to download");
        return res;
    }

    /** Exactly the packages of a lock file; every entry must be in the index with the locked SHA-256. */
    public static Resolution fromLock(LockFile lock, PackageIndex index) {
        List<BinaryPackage> out = new ArrayList<>();
        Map<String, String> why = new HashMap<>();
        for (LockFile.Entry e : lock.entries()) {
            BinaryPackage p = index.find(e.name(), e.version()).orElseThrow(() -> new FleetkitException(
                    "debian.lock-mismatch",
                    "locked package " + e.name() + " " + e.version() + " is not in the index (it has: "
                            + index.versions(e.name()).stream().map(v -> v.version().toString())
                            .collect(Collectors.joining(", ")) + ")",
                    "point the sources at a snapshot that holds the locked versions, or re-resolve with --update-lock"));
            if (!p.architecture().equals(e.architecture()) || !p.sha256().equals(e.sha256()) || p.size() != e.size()) {
                throw new FleetkitException("debian.lock-mismatch",
                        "locked package " + e.name() + " " + e.version() + " differs from the index: lock has "
                                + e.architecture() + " sha256 " + e.sha256() + " size " + e.size() + ", index has "
                                + p.architecture() + " sha256 " + p.sha256() + " size " + p.size(),
                        "the archive rebuilt this version; re-resolve with --update-lock after checking why");
            }
            out.add(p);
            why.put(p.name(), Resolution.LOCKED);
        }
        return new Resolution(out, why);
    }

    /** State of one resolution. */
    private final class Run {
        final Map<String, DebianVersion> pins;
        final Set<String> excluded;
        final Map<String, BinaryPackage> chosen = new LinkedHashMap<>();
        final Map<String, String> why = new HashMap<>();
        final Map<String, List<BinaryPackage>> chosenProviders = new HashMap<>();
        final Deque<BinaryPackage> queue = new ArrayDeque<>();

        Run(Map<String, DebianVersion> pins, Set<String> excluded) {
            this.pins = pins;
            this.excluded = excluded;
        }

        void request(String name) {
            if (excluded.contains(name)) {
                throw new FleetkitException("debian.bad-request", "package " + name + " is both requested and excluded",
                        "remove it from one of the two lists");
            }
            DebianVersion pin = pins.get(name);
            if (pin != null) {
                BinaryPackage p = index.find(name, pin).orElseThrow(() -> new FleetkitException("debian.unresolvable",
                        name + " (= " + pin + ") : no such version (available: " + available(name) + ")",
                        "pin a version that the archive holds"));
                BinaryPackage other = chosen.get(name);
                if (other != null && !other.version().equals(pin)) {
                    throw new FleetkitException("debian.bad-request", "package " + name + " is pinned to " + pin
                            + " but another request already chose " + other.version(), "pin that request too");
                }
                choose(p, Resolution.REQUESTED);
                return;
            }
            if (chosen.containsKey(name) || isSatisfied(RelationAlternative.unversioned(name))) {
                return;
            }
            BinaryPackage p = candidate(RelationAlternative.unversioned(name), excluded).orElseThrow(() ->
                    new FleetkitException("debian.unknown-package",
                            "package " + name + " is not in the index for " + index.architecture(),
                            "check the name and that the component holding it is in the sources"));
            choose(p, Resolution.REQUESTED);
        }

        void closure() {
            while (!queue.isEmpty()) {
                BinaryPackage p = queue.removeFirst();
                for (Relation r : p.requiredRelations()) {
                    satisfy(p, r);
                }
            }
        }

        void satisfy(BinaryPackage parent, Relation relation) {
            for (RelationAlternative alt : relation.alternatives()) {
                if (isSatisfied(alt)) {
                    return;
                }
            }
            for (RelationAlternative alt : relation.alternatives()) {
                Optional<BinaryPackage> c = candidate(alt, excluded);
                if (c.isPresent()) {
                    choose(c.get(), parent.name());
                    return;
                }
            }
            for (RelationAlternative alt : relation.alternatives()) {
                Optional<BinaryPackage> c = candidate(alt, Set.of());
                if (c.isPresent()) {
                    events.warn(TASK, "dropped " + chainText(parent.name()) + " -> " + relation
                            + " : only excluded packages satisfy it (" + c.get().name() + ")");
                    return;
                }
            }
            String reasons = relation.alternatives().stream().map(this::whyNot).collect(Collectors.joining("; "));
            throw new FleetkitException("debian.unresolvable",
                    chainText(parent.name()) + " -> " + relation + " : " + reasons,
                    "add the missing component or architecture to the sources, or pin other versions");
        }

        void choose(BinaryPackage p, String pulledBy) {
            chosen.put(p.name(), p);
            why.put(p.name(), pulledBy);
            for (Relation r : p.provides()) {
                for (RelationAlternative a : r.alternatives()) {
                    chosenProviders.computeIfAbsent(a.name(), k -> new ArrayList<>()).add(p);
                }
            }
            queue.addLast(p);
            events.debug(TASK, p.name() + " " + p.version() + " <- " + pulledBy);
        }

        boolean isSatisfied(RelationAlternative alt) {
            BinaryPackage real = chosen.get(alt.name());
            if (real != null && alt.satisfiedBy(real.version())) {
                return true;
            }
            for (BinaryPackage p : chosenProviders.getOrDefault(alt.name(), List.of())) {
                if (provides(p, alt)) {
                    return true;
                }
            }
            return false;
        }

        /** The package to choose for an alternative nothing chosen satisfies yet. */
        Optional<BinaryPackage> candidate(RelationAlternative alt, Set<String> without) {
            if (!without.contains(alt.name()) && !chosen.containsKey(alt.name())) {
                for (BinaryPackage p : index.versions(alt.name())) {
                    if (alt.satisfiedBy(p.version()) && pinAllows(p)) {
                        return Optional.of(p);
                    }
                }
            }
            List<BinaryPackage> providers = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (PackageIndex.Provider pr : index.providers(alt.name())) {
                BinaryPackage p = pr.pkg();
                if (without.contains(p.name()) || chosen.containsKey(p.name()) || !pinAllows(p)
                        || seen.contains(p.name())) {
                    continue;
                }
                if (!alt.isVersioned() || (pr.providedVersion() != null && alt.satisfiedBy(pr.providedVersion()))) {
                    seen.add(p.name());   // providers come highest version first per name
                    providers.add(p);
                }
            }
            return providers.stream().min(Comparator.comparing(BinaryPackage::priority).thenComparing(BinaryPackage::name));
        }

        boolean pinAllows(BinaryPackage p) {
            DebianVersion pin = pins.get(p.name());
            return pin == null || pin.equals(p.version());
        }

        boolean provides(BinaryPackage p, RelationAlternative alt) {
            for (Relation r : p.provides()) {
                for (RelationAlternative a : r.alternatives()) {
                    if (a.name().equals(alt.name())
                            && (!alt.isVersioned() || (a.op() == VersionOp.EQUAL && alt.satisfiedBy(a.version())))) {
                        return true;
                    }
                }
            }
            return false;
        }

        String whyNot(RelationAlternative alt) {
            String prefix = alt.name() + ": ";
            if (excluded.contains(alt.name())) {
                return prefix + "excluded";
            }
            BinaryPackage real = chosen.get(alt.name());
            if (real != null) {
                return prefix + "version " + real.version() + " is already chosen (pulled in by "
                        + chainText(real.name()) + ")";
            }
            if (!index.versions(alt.name()).isEmpty()) {
                return prefix + "no version satisfies (available: " + available(alt.name()) + ")";
            }
            if (!index.providers(alt.name()).isEmpty()) {
                return prefix + "no provider satisfies it";
            }
            return prefix + "no such package";
        }

        String chainText(String name) {
            List<String> chain = new ArrayList<>();
            String cur = name;
            while (cur != null && !cur.equals(Resolution.REQUESTED) && chain.size() <= why.size()) {
                chain.add(0, cur);
                cur = why.get(cur);
            }
            return String.join(" -> ", chain);
        }
    }

    private String available(String name) {
        List<BinaryPackage> v = index.versions(name);
        return v.isEmpty() ? "none" : v.stream().map(p -> p.version().toString()).collect(Collectors.joining(", "));
    }
}
