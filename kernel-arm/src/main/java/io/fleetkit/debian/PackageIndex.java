package io.fleetkit.debian;

import io.fleetkit.events.FleetkitException;

import java.io.Reader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The packages available for one target architecture: that architecture's packages plus
 * {@code Architecture: all}. Keeps every version of a name (highest first) and an index of
 * virtual names to the packages that provide them. The same package listed twice (arch-all
 * packages appear in both binary-ARCH and binary-all) is kept once.
 */
public final class PackageIndex {

    /** A package that provides a virtual name, with the version it provides (null if unversioned). */
    public record Provider(BinaryPackage pkg, DebianVersion providedVersion) {
    }

    private static final Comparator<BinaryPackage> HIGHEST_FIRST =
            Comparator.comparing(BinaryPackage::version).reversed();

    private final String architecture;
    private final Map<String, List<BinaryPackage>> byName;
    private final Map<String, List<Provider>> byProvided;
    private final int size;

    private PackageIndex(String architecture, Map<String, List<BinaryPackage>> byName,
                         Map<String, List<Provider>> byProvided, int size) {
        this.architecture = architecture;
        this.byName = byName;
        this.byProvided = byProvided;
        this.size = size;
    }

    public static Builder builder(String architecture) {
        return new Builder(architecture);
    }

    public static PackageIndex of(String architecture, Collection<BinaryPackage> packages) {
        Builder b = builder(architecture);
        packages.forEach(b::add);
        return b.build();
    }

    public String architecture() {
        return architecture;
    }

    /** Number of distinct packages (name, version, architecture). */
    public int size() {
        return size;
    }

    /** Every version of a real package, highest first; empty when there is none. */
    public List<BinaryPackage> versions(String name) {
        return byName.getOrDefault(name, List.of());
    }

    /** The highest version of a real package. */
    public Optional<BinaryPackage> latest(String name) {
        List<BinaryPackage> v = versions(name);
        return v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    public Optional<BinaryPackage> find(String name, DebianVersion version) {
        return versions(name).stream().filter(p -> p.version().equals(version)).findFirst();
    }

    /** Packages providing {@code virtualName}, sorted by package name then highest version first. */
    public List<Provider> providers(String virtualName) {
        return byProvided.getOrDefault(virtualName, List.of());
    }

    /** Real package names, sorted. */
    public Set<String> names() {
        return Collections.unmodifiableSet(new TreeSet<>(byName.keySet()));
    }

    /** Collects packages; paragraphs of other architectures are ignored. */
    public static final class Builder {
        private final String architecture;
        private final Map<String, List<BinaryPackage>> byName = new HashMap<>();
        // many packages share relations such as "libc6 (>= 2.34)": keep one copy of each
        private final Map<Relation, Relation> relations = new HashMap<>();
        private final Map<List<Relation>, List<Relation>> relationLists = new HashMap<>();
        private int size;

        private Builder(String architecture) {
            if (architecture == null || architecture.isBlank() || architecture.equals("all")) {
                throw new IllegalArgumentException("a target architecture such as arm64 is needed");
            }
            this.architecture = architecture;
        }

        public Builder add(ControlParagraph paragraph) {
            String arch = paragraph.get("Architecture").map(String::strip).orElse("");
            if (arch.equals(architecture) || arch.equals("all")) {
                add(BinaryPackage.from(paragraph));
            }
            return this;
        }

        /** Streams a whole Packages file into the index. */
        public Builder addAll(Reader packagesFile) {
            ControlFileParser.parse(packagesFile, this::add);
            return this;
        }

        public Builder add(BinaryPackage p) {
            if (!p.architecture().equals(architecture) && !p.architecture().equals("all")) {
                return this;
            }
            List<BinaryPackage> list = byName.computeIfAbsent(p.name(), k -> new ArrayList<>(1));
            for (BinaryPackage existing : list) {
                if (existing.version().equals(p.version())) {
                    if (!existing.sha256().equals(p.sha256())) {
                        throw new FleetkitException("debian.index-conflict",
                                "the index lists " + p.id() + " twice with different SHA256 ("
                                        + existing.sha256() + " and " + p.sha256() + ")",
                                "use one consistent mirror snapshot for all components and architectures");
                    }
                    return this;
                }
            }
            list.add(shareRelations(p));
            size++;
            return this;
        }

        private BinaryPackage shareRelations(BinaryPackage p) {
            return new BinaryPackage(p.name(), p.version(), p.architecture(), share(p.depends()), share(p.preDepends()),
                    share(p.provides()), share(p.conflicts()), share(p.breaks()), p.filename(), p.size(), p.sha256(),
                    p.installedSize(), p.priority(), p.essential(), p.source());
        }

        private List<Relation> share(List<Relation> list) {
            if (list.isEmpty()) {
                return List.of();
            }
            List<Relation> shared = list.stream().map(r -> relations.computeIfAbsent(r, k -> k)).toList();
            return relationLists.computeIfAbsent(shared, k -> List.copyOf(k));
        }

        public PackageIndex build() {
            Map<String, List<BinaryPackage>> names = new HashMap<>(byName.size() * 4 / 3 + 1);
            Map<String, List<Provider>> provided = new HashMap<>();
            byName.forEach((name, list) -> {
                list.sort(HIGHEST_FIRST);
                names.put(name, List.copyOf(list));
                for (BinaryPackage p : list) {
                    for (Relation r : p.provides()) {
                        for (RelationAlternative a : r.alternatives()) {
                            provided.computeIfAbsent(a.name(), k -> new ArrayList<>(2))
                                    .add(new Provider(p, a.op() == VersionOp.EQUAL ? a.version() : null));
                        }
                    }
                }
            });
            Comparator<Provider> order = Comparator.comparing((Provider pr) -> pr.pkg().name())
                    .thenComparing(pr -> pr.pkg().version(), Comparator.reverseOrder());
            Map<String, List<Provider>> frozen = new HashMap<>(provided.size() * 4 / 3 + 1);
            provided.forEach((k, v) -> {
                v.sort(order);
                frozen.put(k, List.copyOf(v));
            });
            return new PackageIndex(architecture, names, frozen, size);
        }
    }
}
