package io.fleetkit.kernel;

import io.fleetkit.events.EditDistance;
import io.fleetkit.events.FleetkitException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The modules an image needs: the requested ones (names, with {@code -}/{@code _} alike, or
 * aliases) plus everything they depend on, hard dependencies and soft ones, in load order
 * (dependencies before dependants). Built-in modules need no file and are listed apart.
 *
 * @param modules              files to ship, in load order
 * @param builtin              requested modules (or dependencies) the kernel has built in, sorted
 * @param unresolvedSoftdeps   soft dependencies this kernel cannot satisfy ("module: softdep"); harmless
 */
public record ModuleClosure(List<KernelModule> modules, List<String> builtin, List<String> unresolvedSoftdeps) {

    public ModuleClosure {
        modules = List.copyOf(modules);
        builtin = List.copyOf(builtin);
        unresolvedSoftdeps = List.copyOf(unresolvedSoftdeps);
    }

    /** Bytes of all module files. */
    public long totalBytes() {
        return modules.stream().mapToLong(KernelModule::size).sum();
    }

    public static ModuleClosure resolve(ModuleIndex index, List<String> requested) {
        return new Resolver(index).run(requested);
    }

    private static final class Resolver {
        private final ModuleIndex index;
        private final Set<String> done = new HashSet<>();
        private final Set<String> inProgress = new HashSet<>();
        private final List<KernelModule> order = new ArrayList<>();
        private final Set<String> builtin = new java.util.TreeSet<>();
        private final Set<String> unresolved = new LinkedHashSet<>();

        Resolver(ModuleIndex index) {
            this.index = index;
        }

        ModuleClosure run(List<String> requested) {
            for (String request : requested) {
                Set<String> targets = lookup(request);
                if (targets.isEmpty()) {
                    throw unknown(request);
                }
                targets.forEach(this::visit);
            }
            return new ModuleClosure(order, List.copyOf(builtin), List.copyOf(unresolved));
        }

        /** Module names for a name or alias; builtin hits are recorded and return no loadable module. */
        private Set<String> lookup(String request) {
            String name = ModuleNames.normalize(request.strip());
            Set<String> found = new LinkedHashSet<>();
            if (index.module(name) != null) {
                found.add(name);
                return found;
            }
            if (index.isBuiltin(name)) {
                builtin.add(name);
                return Set.of(name);
            }
            found.addAll(index.modulesForAlias(request.strip()));
            if (found.isEmpty()) {
                Set<String> builtins = index.builtinForAlias(request.strip());
                builtin.addAll(builtins);
                return builtins;
            }
            return found;
        }

        private void visit(String name) {
            if (done.contains(name) || index.isBuiltin(name) && index.module(name) == null) {
                return;
            }
            ModuleIndex.Entry entry = index.module(name);
            if (entry == null) {
                throw new FleetkitException("kernel.broken-dependency",
                        "kernel module '" + name + "' is needed but neither in the modules tree nor built in",
                        "the kernel tree is incomplete; re-extract the kernel package");
            }
            if (!inProgress.add(name)) {
                return; // a dependency cycle; depmod refuses these, so just do not loop
            }
            if (entry.size() < 0) {
                throw new FleetkitException("kernel.module-file-missing",
                        "modules.dep names " + entry.path() + " for '" + name + "' but the file is absent",
                        "re-extract the kernel package, or run depmod for this tree again");
            }
            for (String dep : entry.depends().stream().sorted().toList()) {
                if (index.isBuiltin(dep) && index.module(dep) == null) {
                    builtin.add(dep);
                } else {
                    visit(dep);
                }
            }
            for (String soft : entry.softdeps()) {
                Set<String> targets = lookup(soft);
                if (targets.isEmpty()) {
                    unresolved.add(name + ": " + soft);
                }
                targets.forEach(this::visit);
            }
            inProgress.remove(name);
            done.add(name);
            order.add(new KernelModule(entry.name(), entry.path(), entry.size()));
        }

        private FleetkitException unknown(String request) {
            String wanted = ModuleNames.normalize(request.strip());
            List<String> close = new ArrayList<>(index.moduleNames());
            close.addAll(index.builtinNames());
            List<String> suggestions = close.stream()
                    .filter(n -> n.contains(wanted) && wanted.length() >= 3 || EditDistance.between(n, wanted) <= 2)
                    .distinct()
                    .sorted(Comparator.comparingInt((String n) -> EditDistance.between(n, wanted)).thenComparing(n -> n))
                    .limit(5).toList();
            String fix = suggestions.isEmpty()
                    ? "check the module name for this kernel (modules.builtin lists built-ins)"
                    : "did you mean: " + String.join(", ", suggestions) + "?";
            return new FleetkitException("kernel.unknown-module",
                    "kernel module '" + request + "' is neither a module, a built-in nor an alias of one in this kernel",
                    fix);
        }
    }
}
