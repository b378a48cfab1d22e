package io.fleetkit.kernel;

import java.util.List;

/**
 * What a kernel module says about itself in its ELF {@code .modinfo} section.
 *
 * @param name       module name ({@code _} form)
 * @param depends    modules it needs loaded first (hard dependencies from modpost)
 * @param aliases    alias patterns (globs such as {@code virtio:d00000002v*})
 * @param softdeps   modules named by {@code softdep=pre:}/{@code post:} (names or aliases)
 */
public record ModuleInfo(String name, List<String> depends, List<String> aliases, List<String> softdeps) {

    public ModuleInfo {
        depends = List.copyOf(depends);
        aliases = List.copyOf(aliases);
        softdeps = List.copyOf(softdeps);
    }
}
