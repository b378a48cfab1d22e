package io.fleetkit.kernel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What is known about a kernel's modules: loadable modules (path, size, dependencies, soft
 * dependencies), their aliases, and the modules built into the image (with their aliases).
 * Built by {@link ModuleIndexLoader} from depmod's files or from the modules themselves.
 */
public final class ModuleIndex {

    /** A loadable module: {@code path} is relative to {@code lib/modules/<version>/}. */
    public record Entry(String name, String path, long size, List<String> depends, List<String> softdeps) {
        public Entry {
            depends = List.copyOf(depends);
            softdeps = List.copyOf(softdeps);
        }
    }

    private record Alias(String pattern, Pattern glob, String module) {
    }

    private final Map<String, Entry> modules = new TreeMap<>();
    private final Set<String> builtin = new TreeSet<>();
    private final List<Alias> aliases = new ArrayList<>();
    private final List<Alias> builtinAliases = new ArrayList<>();

    void addModule(Entry entry) {
        modules.put(entry.name(), entry);
    }

    void addBuiltin(String name) {
        builtin.add(ModuleNames.normalize(name));
    }

    void addAlias(String pattern, String module) {
        aliases.add(new Alias(pattern, Glob.toPattern(pattern), ModuleNames.normalize(module)));
    }

    void addBuiltinAlias(String pattern, String module) {
        builtinAliases.add(new Alias(pattern, Glob.toPattern(pattern), ModuleNames.normalize(module)));
    }

    public Entry module(String name) {
        return modules.get(ModuleNames.normalize(name));
    }

    public boolean isBuiltin(String name) {
        return builtin.contains(ModuleNames.normalize(name));
    }

    /** Loadable module names, sorted. */
    public Set<String> moduleNames() {
        return Collections.unmodifiableSet(modules.keySet());
    }

    public Set<String> builtinNames() {
        return Collections.unmodifiableSet(builtin);
    }

    public int aliasCount() {
        return aliases.size();
    }

    /** The alias patterns a loadable module declares, in index order. */
    public List<String> aliasesOf(String module) {
        String name = ModuleNames.normalize(module);
        return aliases.stream().filter(a -> a.module().equals(name)).map(Alias::pattern).toList();
    }

    /** Loadable modules whose alias patterns match {@code alias}, in first-seen order. */
    public Set<String> modulesForAlias(String alias) {
        return match(aliases, alias);
    }

    /** Built-in modules whose alias patterns match {@code alias}. */
    public Set<String> builtinForAlias(String alias) {
        return match(builtinAliases, alias);
    }

    private static Set<String> match(List<Alias> list, String alias) {
        // modprobe compares aliases with '-' turned into '_' outside bracket expressions.
        String normalized = ModuleNames.normalize(alias);
        Set<String> found = new LinkedHashSet<>();
        for (Alias a : list) {
            if (a.glob().matcher(alias).matches() || a.glob().matcher(normalized).matches()
                    || ModuleNames.normalize(a.pattern()).equals(normalized)) {
                found.add(a.module());
            }
        }
        return found;
    }
}
