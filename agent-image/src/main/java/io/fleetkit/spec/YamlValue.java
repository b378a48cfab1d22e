package io.fleetkit.spec;

import java.util.List;
import java.util.Map;

/**
 * A YAML value with the place it was written, after anchors and merge keys were expanded and
 * several spec files were merged. Only the three YAML node kinds exist; typing happens later.
 */
sealed interface YamlValue permits YamlValue.Mapping, YamlValue.Sequence, YamlValue.Scalar {

    SpecLocation location();

    /** What to call this kind of value in a message ("a list", "the number 420"). */
    String describe();

    /** A mapping whose keys keep the order they were written in. */
    record Mapping(SpecLocation location, Map<String, Entry> entries) implements YamlValue {
        public Mapping {
            entries = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(entries));
        }

        @Override
        public String describe() {
            return "a mapping";
        }
    }

    /** A key (with its own location, for unknown-key messages) and its value. */
    record Entry(SpecLocation keyLocation, String key, YamlValue value) {
    }

    record Sequence(SpecLocation location, List<YamlValue> items) implements YamlValue {
        public Sequence {
            items = List.copyOf(items);
        }

        @Override
        public String describe() {
            return "a list";
        }
    }

    /** A scalar as written ({@code text}) and how YAML 1.1 resolved it ({@code kind}). */
    record Scalar(SpecLocation location, String text, Kind kind) implements YamlValue {

        enum Kind { STRING, INT, FLOAT, BOOL, NULL, OTHER }

        boolean isNull() {
            return kind == Kind.NULL;
        }

        @Override
        public String describe() {
            return switch (kind) {
                case STRING, OTHER -> "the string '" + text + "'";
                case INT, FLOAT -> "the number " + text;
                case BOOL -> "the boolean " + text;
                case NULL -> "nothing (null)";
            };
        }
    }
}
