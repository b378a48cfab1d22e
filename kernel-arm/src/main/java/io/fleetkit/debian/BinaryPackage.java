package io.fleetkit.debian;

import io.fleetkit.events.FleetkitException;

import java.util.List;
import java.util.Locale;

/**
 * One binary package as a Packages index paragraph describes it. Only the fields the resolver,
 * the fetcher and the lock file use are kept, so a 60k-package index stays small.
 *
 * @param size          size of the .deb in bytes
 * @param installedSize Installed-Size in KiB (0 when absent)
 * @param source        source package name (the package name when the field is absent)
 */
public record BinaryPackage(
        String name,
        DebianVersion version,
        String architecture,
        List<Relation> depends,
        List<Relation> preDepends,
        List<Relation> provides,
        List<Relation> conflicts,
        List<Relation> breaks,
        String filename,
        long size,
        String sha256,
        long installedSize,
        Priority priority,
        boolean essential,
        String source) {

    /** Debian priorities, most important first. */
    public enum Priority {
        REQUIRED, IMPORTANT, STANDARD, OPTIONAL, EXTRA;

        static Priority parse(String s) {
            return switch (s.strip().toLowerCase(Locale.ROOT)) {
                case "required" -> REQUIRED;
                case "important" -> IMPORTANT;
                case "standard" -> STANDARD;
                case "extra" -> EXTRA;
                default -> OPTIONAL;   // "optional" and anything unknown (e.g. "source")
            };
        }
    }

    public BinaryPackage {
        depends = List.copyOf(depends);
        preDepends = List.copyOf(preDepends);
        provides = List.copyOf(provides);
        conflicts = List.copyOf(conflicts);
        breaks = List.copyOf(breaks);
    }

    public static BinaryPackage from(ControlParagraph p) {
        String name = p.require("Package").strip();
        try {
            String sha256 = p.require("SHA256").strip().toLowerCase(Locale.ROOT);
            if (!sha256.matches("[0-9a-f]{64}")) {
                throw new ControlFileException("package " + name + ": SHA256 '" + sha256 + "' is not 64 hex digits");
            }
            String source = p.get("Source").map(s -> s.strip().split("\\s+")[0]).orElse(name);
            return new BinaryPackage(
                    name.intern(),
                    DebianVersion.parse(p.require("Version").strip()),
                    p.require("Architecture").strip().intern(),
                    Relation.parseField(p.get("Depends").orElse(null)),
                    Relation.parseField(p.get("Pre-Depends").orElse(null)),
                    Relation.parseField(p.get("Provides").orElse(null)),
                    Relation.parseField(p.get("Conflicts").orElse(null)),
                    Relation.parseField(p.get("Breaks").orElse(null)),
                    p.require("Filename").strip(),
                    parseLong(name, "Size", p.require("Size")),
                    sha256,
                    p.get("Installed-Size").map(v -> parseLong(name, "Installed-Size", v)).orElse(0L),
                    p.get("Priority").map(Priority::parse).orElse(Priority.OPTIONAL),
                    p.get("Essential").map(v -> v.strip().equalsIgnoreCase("yes")).orElse(false),
                    source.equals(name) ? name.intern() : source.intern());
        } catch (FleetkitException e) {
            if (e.getMessage().contains(name)) {
                throw e;
            }
            throw new FleetkitException(e.code(), "package " + name + ": " + e.getMessage(), e.fix(), e);
        }
    }

    private static long parseLong(String pkg, String field, String value) {
        try {
            long v = Long.parseLong(value.strip());
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new ControlFileException("package " + pkg + ": " + field + " '" + value + "' is not a size");
        }
    }

    /** Relations that must hold before the package is usable: Pre-Depends first, then Depends. */
    public List<Relation> requiredRelations() {
        if (preDepends.isEmpty()) {
            return depends;
        }
        return java.util.stream.Stream.concat(preDepends.stream(), depends.stream()).toList();
    }

    /** "name version arch", the usual way to name one exact package. */
    public String id() {
        return name + " " + version + " " + architecture;
    }
}
