package io.fleetkit.debian;

/**
 * One alternative of a relation: a package name with an optional version constraint.
 * Arch qualifiers ({@code :any}, {@code :native}) are stripped, because an image holds one
 * architecture; {@code op} and {@code version} are both null for an unversioned relation.
 */
public record RelationAlternative(String name, VersionOp op, DebianVersion version) {

    public RelationAlternative {
        if ((op == null) != (version == null)) {
            throw new IllegalArgumentException("op and version go together");
        }
    }

    public static RelationAlternative unversioned(String name) {
        return new RelationAlternative(name, null, null);
    }

    public boolean isVersioned() {
        return op != null;
    }

    /** Whether a real package of this name at {@code v} satisfies this alternative. */
    public boolean satisfiedBy(DebianVersion v) {
        return op == null || op.test(v, version);
    }

    @Override
    public String toString() {
        return op == null ? name : name + " (" + op.symbol() + " " + version + ")";
    }
}
