package io.fleetkit.spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The keys of one mapping in the spec, read by name. Unknown keys are reported when the
 * mapping is opened; every getter reports a value of the wrong kind and then answers as if the
 * key were absent, so reading goes on and later problems are found too.
 */
final class SpecFields {

    private final YamlValue.Mapping mapping;
    private final SpecLocation location;
    private final String path;
    private final SpecProblems problems;
    /** Set when the value was not a mapping at all: then missing keys are echoes, not news. */
    private final boolean wrongKind;

    private SpecFields(YamlValue.Mapping mapping, SpecLocation location, String path, SpecProblems problems,
            boolean wrongKind) {
        this.wrongKind = wrongKind;
        this.mapping = mapping;
        this.location = location;
        this.path = path;
        this.problems = problems;
    }

    /** Opens {@code value} as a mapping with the given keys; reports anything else. */
    static SpecFields open(YamlValue value, String path, Set<String> known, SpecProblems problems) {
        if (!(value instanceof YamlValue.Mapping mapping)) {
            problems.add(value.location(), path, "expected a mapping (key: value lines), got " + value.describe());
            return new SpecFields(new YamlValue.Mapping(value.location(), Map.of()), value.location(), path, problems, true);
        }
        for (YamlValue.Entry entry : mapping.entries().values()) {
            if (!known.contains(entry.key())) {
                String hint = NearestWord.among(entry.key(), known)
                        .map(word -> "; did you mean '" + word + "'?")
                        .orElse("; known keys: " + String.join(", ", known.stream().sorted().toList()));
                problems.add(entry.keyLocation(), join(path, entry.key()), "unknown key" + hint);
            }
        }
        return new SpecFields(mapping, mapping.location(), path, problems, false);
    }

    static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** This mapping's own property path ({@code files[2]}). */
    String path() {
        return path;
    }

    String path(String key) {
        return join(path, key);
    }

    SpecLocation location() {
        return location;
    }

    SpecProblems problems() {
        return problems;
    }

    boolean has(String key) {
        return value(key) != null;
    }

    /** The value, or null if absent or written as null. */
    YamlValue value(String key) {
        YamlValue.Entry entry = mapping.entries().get(key);
        if (entry == null || entry.value() instanceof YamlValue.Scalar s && s.isNull()) {
            return null;
        }
        return entry.value();
    }

    /** Reports a bad value of {@code key} at the value's location. */
    void fail(String key, String message) {
        YamlValue value = value(key);
        problems.add(value == null ? location : value.location(), path(key), message);
    }

    String text(String key) {
        YamlValue value = value(key);
        return value == null ? null : text(value, path(key), problems);
    }

    String requiredText(String key) {
        String text = text(key);
        if (text == null && wrongKind) {
            return null;
        } else if (text == null && !mapping.entries().containsKey(key)) {
            problems.add(location, path(key), "required key is missing");
        } else if (text == null && value(key) == null) {
            fail(key, "must not be empty");
        }
        return text;
    }

    boolean bool(String key, boolean absent) {
        YamlValue value = value(key);
        if (value == null) {
            return absent;
        }
        if (value instanceof YamlValue.Scalar s && s.kind() == YamlValue.Scalar.Kind.BOOL) {
            return switch (s.text().toLowerCase(java.util.Locale.ROOT)) {
                case "true", "yes", "on", "y" -> true;
                default -> false;
            };
        }
        fail(key, "expected true or false, got " + value.describe());
        return absent;
    }

    /** The items of a list, empty if absent. */
    List<YamlValue> list(String key) {
        YamlValue value = value(key);
        if (value == null) {
            return List.of();
        }
        if (value instanceof YamlValue.Sequence sequence) {
            return sequence.items();
        }
        String hint = value instanceof YamlValue.Scalar s ? "; write [" + s.text() + "]" : "";
        fail(key, "expected a list, got " + value.describe() + hint);
        return List.of();
    }

    /** A list of scalars as text; bad items are reported and left out. */
    List<String> texts(String key) {
        List<String> texts = new ArrayList<>();
        List<YamlValue> items = list(key);
        for (int i = 0; i < items.size(); i++) {
            String text = text(items.get(i), path(key) + "[" + i + "]", problems);
            if (text != null) {
                texts.add(text);
            }
        }
        return texts;
    }

    /** A nested mapping, or null if absent. */
    SpecFields mapping(String key, Set<String> known) {
        YamlValue value = value(key);
        return value == null ? null : open(value, path(key), known, problems);
    }

    /** The text of {@code key} through {@code parser}; a parser's IllegalArgumentException is reported. */
    <T> T parsed(String key, Function<String, T> parser) {
        String text = text(key);
        if (text == null) {
            return null;
        }
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            fail(key, e.getMessage());
            return null;
        }
    }

    /** One of an enum's spec words; {@code absent} if the key is absent. */
    <E extends Enum<E>> E choice(String key, E[] values, Function<E, String> word, E absent) {
        String text = text(key);
        if (text == null) {
            return absent;
        }
        for (E value : values) {
            if (word.apply(value).equals(text)) {
                return value;
            }
        }
        List<String> words = Arrays.stream(values).map(word).toList();
        fail(key, "'" + text + "' is not one of " + String.join(", ", words));
        return absent;
    }

    /**
     * A host path, resolved against the directory of the spec file that wrote it (so a value
     * from a second file is relative to that file); reported if {@code mustExist} and missing.
     */
    Optional<Path> hostPath(String key, boolean mustExist) {
        String text = text(key);
        if (text == null) {
            return Optional.empty();
        }
        Path resolved = value(key).location().baseDir().resolve(text).normalize();
        if (mustExist && !Files.exists(resolved)) {
            fail(key, "'" + text + "' does not exist (looked for " + resolved + ")");
            return Optional.empty();
        }
        return Optional.of(resolved);
    }

    /** A whole number written plainly (no quotes, no leading zeros) in [min, max]; null if absent. */
    Integer number(String key, long min, long max) {
        YamlValue value = value(key);
        if (value == null) {
            return null;
        }
        if (value instanceof YamlValue.Scalar s && s.kind() == YamlValue.Scalar.Kind.INT
                && s.text().matches("0|[1-9][0-9]{0,9}")) {
            long n = Long.parseLong(s.text());
            if (n >= min && n <= max) {
                return (int) n;
            }
        }
        fail(key, "expected a whole number from " + min + " to " + max + ", got " + value.describe());
        return null;
    }

    /** A scalar's text; anything else (or null) is reported and answered with null. */
    static String text(YamlValue value, String path, SpecProblems problems) {
        if (value instanceof YamlValue.Scalar s && !s.isNull()) {
            return s.text();
        }
        problems.add(value.location(), path, "expected a single value, got " + value.describe());
        return null;
    }
}
