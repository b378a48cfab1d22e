package io.fleetkit.debian;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A resolved package set: the chosen packages sorted by name, and for each the name of the
 * package that pulled it in ({@link #REQUESTED} or {@link #LOCKED} for roots), for {@code -v}.
 */
public record Resolution(List<BinaryPackage> packages, Map<String, String> why) {

    public static final String REQUESTED = "(requested)";
    public static final String LOCKED = "(locked)";

    public Resolution {
        List<BinaryPackage> sorted = new ArrayList<>(packages);
        sorted.sort(Comparator.comparing(BinaryPackage::name));
        packages = List.copyOf(sorted);
        why = Collections.unmodifiableMap(new TreeMap<>(why));
    }

    public Optional<BinaryPackage> get(String name) {
        return packages.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    public List<String> names() {
        return packages.stream().map(BinaryPackage::name).toList();
    }

    /** Sum of the .deb sizes in bytes. */
    public long downloadSize() {
        return packages.stream().mapToLong(BinaryPackage::size).sum();
    }

    /** Sum of Installed-Size, in KiB as Debian counts it. */
    public long installedSizeKiB() {
        return packages.stream().mapToLong(BinaryPackage::installedSize).sum();
    }

    /** The chain from a requested package down to {@code name}, e.g. [crun, libc6]. */
    public List<String> chain(String name) {
        List<String> out = new ArrayList<>();
        String cur = name;
        while (cur != null && !cur.equals(REQUESTED) && !cur.equals(LOCKED) && out.size() <= why.size()) {
            out.add(0, cur);
            cur = why.get(cur);
        }
        return out;
    }
}
