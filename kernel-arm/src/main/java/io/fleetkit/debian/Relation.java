package io.fleetkit.debian;

import io.fleetkit.events.FleetkitException;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One comma-separated element of a relation field (Depends, Pre-Depends, Provides, Conflicts,
 * Breaks): alternatives separated by '|'. Architecture restrictions {@code [..]} and build
 * profiles {@code <..>} are parsed and dropped: they only matter when building from source.
 */
public record Relation(List<RelationAlternative> alternatives) {

    public Relation {
        alternatives = List.copyOf(alternatives);
        if (alternatives.isEmpty()) {
            throw new IllegalArgumentException("a relation needs at least one alternative");
        }
    }

    /** Parses a whole field value; null or blank gives an empty list. */
    public static List<Relation> parseField(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        List<Relation> out = new ArrayList<>();
        for (String element : value.split(",")) {
            if (element.isBlank()) {
                continue;   // dpkg tolerates a trailing comma
            }
            List<RelationAlternative> alts = new ArrayList<>();
            for (String alt : element.split("\\|")) {
                alts.add(parseAlternative(alt, value));
            }
            out.add(new Relation(alts));
        }
        return List.copyOf(out);
    }

    private static RelationAlternative parseAlternative(String text, String field) {
        String s = text.strip();
        int i = 0;
        int n = s.length();
        int start = i;
        while (i < n && isNameChar(s.charAt(i))) {
            i++;
        }
        String name = s.substring(start, i);
        if (name.isEmpty() || !Character.isLetterOrDigit(name.charAt(0))) {
            throw syntax(field, "expected a package name in '" + s + "'");
        }
        if (i < n && s.charAt(i) == ':') {   // arch qualifier: :any, :native or an arch name
            i++;
            int q = i;
            while (i < n && isNameChar(s.charAt(i))) {
                i++;
            }
            if (q == i) {
                throw syntax(field, "empty architecture qualifier in '" + s + "'");
            }
        }
        i = skipSpace(s, i);
        VersionOp op = null;
        DebianVersion version = null;
        if (i < n && s.charAt(i) == '(') {
            int close = s.indexOf(')', i);
            if (close < 0) {
                throw syntax(field, "missing ')' in '" + s + "'");
            }
            String inner = s.substring(i + 1, close).strip();
            int opEnd = 0;
            while (opEnd < inner.length() && "<>=".indexOf(inner.charAt(opEnd)) >= 0) {
                opEnd++;
            }
            op = VersionOp.parse(inner.substring(0, opEnd));
            if (op == null) {
                throw syntax(field, "unknown version operator in '" + s + "'");
            }
            version = DebianVersion.parse(inner.substring(opEnd).strip());
            i = skipSpace(s, close + 1);
        }
        while (i < n && (s.charAt(i) == '[' || s.charAt(i) == '<')) {
            char closer = s.charAt(i) == '[' ? ']' : '>';
            int close = s.indexOf(closer, i);
            if (close < 0) {
                throw syntax(field, "missing '" + closer + "' in '" + s + "'");
            }
            i = skipSpace(s, close + 1);
        }
        if (i != n) {
            throw syntax(field, "unexpected '" + s.substring(i) + "' in '" + s + "'");
        }
        return new RelationAlternative(name.intern(), op, version);
    }

    private static boolean isNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '+' || c == '-';
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static FleetkitException syntax(String field, String why) {
        return new FleetkitException("debian.relation-syntax",
                "bad relation field '" + abbreviate(field) + "': " + why,
                "the Packages index or package control file is damaged");
    }

    private static String abbreviate(String s) {
        String one = s.replace('\n', ' ');
        return one.length() > 80 ? one.substring(0, 80) + "..." : one;
    }

    @Override
    public String toString() {
        return alternatives.stream().map(RelationAlternative::toString).collect(Collectors.joining(" | "));
    }
}
