package io.fleetkit.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges spec files given in order. Mappings merge deeply; lists are appended (a later file
 * adds services, packages and files, it never removes them — a service with the same name in
 * two files is then reported as a duplicate, which is simpler to reason about than silent
 * replacement); for scalars, and wherever the kinds differ, the later file wins. Every value
 * keeps the location it came from, so errors point into the file that supplied it.
 */
final class SpecMerge {

    private SpecMerge() {
    }

    static YamlValue merge(YamlValue earlier, YamlValue later) {
        if (earlier instanceof YamlValue.Mapping a && later instanceof YamlValue.Mapping b) {
            Map<String, YamlValue.Entry> entries = new LinkedHashMap<>(a.entries());
            for (YamlValue.Entry entry : b.entries().values()) {
                YamlValue.Entry old = entries.get(entry.key());
                YamlValue value = old == null ? entry.value() : merge(old.value(), entry.value());
                entries.put(entry.key(), new YamlValue.Entry(entry.keyLocation(), entry.key(), value));
            }
            return new YamlValue.Mapping(a.location(), entries);
        }
        if (earlier instanceof YamlValue.Sequence a && later instanceof YamlValue.Sequence b) {
            List<YamlValue> items = new ArrayList<>(a.items());
            items.addAll(b.items());
            return new YamlValue.Sequence(a.location(), items);
        }
        return later;
    }
}
