package io.fleetkit.kernel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * depmod's text files for an image that ships only a {@link ModuleClosure}: {@code modules.dep}
 * (each module's dependencies, transitively, listed dependants first as depmod does; modprobe loads
 * from the end), {@code modules.alias}, {@code modules.softdep} and {@code modules.builtin}. BusyBox
 * modprobe reads these; kmod's modprobe wants depmod's {@code .bin} indexes, which this does not write.
 */
public final class DepmodText {

    private DepmodText() {
    }

    /** File name (relative to {@code lib/modules/<version>/}) to content, in a fixed order. */
    public static Map<String, String> forClosure(ModuleIndex index, ModuleClosure closure) {
        Map<String, Integer> loadOrder = new HashMap<>();
        Map<String, String> paths = new HashMap<>();
        for (KernelModule module : closure.modules()) {
            loadOrder.put(module.name(), loadOrder.size());
            paths.put(module.name(), module.path());
        }
        StringBuilder dep = new StringBuilder();
        StringBuilder alias = new StringBuilder("# Aliases extracted from modules themselves.\n");
        StringBuilder softdep = new StringBuilder("# Soft dependencies extracted from modules themselves.\n");
        for (KernelModule module : closure.modules()) {
            List<String> deps = new ArrayList<>(transitiveDepends(index, module.name()));
            deps.removeIf(d -> !paths.containsKey(d)); // built-ins need no line
            deps.sort((a, b) -> Integer.compare(loadOrder.get(b), loadOrder.get(a)));
            dep.append(module.path()).append(':');
            deps.forEach(d -> dep.append(' ').append(paths.get(d)));
            dep.append('\n');
            for (String pattern : index.aliasesOf(module.name())) {
                alias.append("alias ").append(pattern).append(' ').append(module.name()).append('\n');
            }
            List<String> soft = index.module(module.name()).softdeps();
            if (!soft.isEmpty()) {
                softdep.append("softdep ").append(module.name()).append(" pre: ").append(String.join(" ", soft)).append('\n');
            }
        }
        StringBuilder builtin = new StringBuilder();
        index.builtinNames().forEach(name -> builtin.append("kernel/").append(name).append(".ko\n"));
        Map<String, String> files = new LinkedHashMap<>();
        files.put("modules.dep", dep.toString());
        files.put("modules.alias", alias.toString());
        files.put("modules.softdep", softdep.toString());
        files.put("modules.builtin", builtin.toString());
        return files;
    }

    private static Set<String> transitiveDepends(ModuleIndex index, String name) {
        Set<String> found = new LinkedHashSet<>();
        List<String> queue = new ArrayList<>(List.of(name));
        while (!queue.isEmpty()) {
            ModuleIndex.Entry entry = index.module(queue.remove(queue.size() - 1));
            if (entry == null) {
                continue;
            }
            for (String dep : entry.depends()) {
                if (found.add(dep)) {
                    queue.add(dep);
                }
            }
        }
        return found;
    }
}
