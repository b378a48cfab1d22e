package io.fleetkit.debian;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One paragraph of a Debian control file (deb822): fields in their order, names matched
 * case-insensitively as Debian policy says. Multi-line values keep their continuation lines,
 * joined with '\n' and with the single leading space removed.
 */
public final class ControlParagraph {

    private final Map<String, String> fields;   // key: lower-case name
    private final Map<String, String> names;    // lower-case -> name as written

    ControlParagraph(Map<String, String> fieldsAsWritten) {
        Map<String, String> f = new LinkedHashMap<>();
        Map<String, String> n = new LinkedHashMap<>();
        fieldsAsWritten.forEach((k, v) -> {
            f.put(k.toLowerCase(Locale.ROOT), v);
            n.put(k.toLowerCase(Locale.ROOT), k);
        });
        this.fields = Collections.unmodifiableMap(f);
        this.names = Collections.unmodifiableMap(n);
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(fields.get(name.toLowerCase(Locale.ROOT)));
    }

    /** The value of a field that must be present; the message names the field and the paragraph. */
    public String require(String name) {
        String v = fields.get(name.toLowerCase(Locale.ROOT));
        if (v == null) {
            throw new ControlFileException("field '" + name + "' missing in paragraph "
                    + get("Package").or(() -> get("Origin")).orElse("(unnamed)"));
        }
        return v;
    }

    public boolean has(String name) {
        return fields.containsKey(name.toLowerCase(Locale.ROOT));
    }

    /** Field names as written, in order. */
    public Iterable<String> names() {
        return names.values();
    }

    @Override
    public String toString() {
        return "ControlParagraph" + fields;
    }
}
