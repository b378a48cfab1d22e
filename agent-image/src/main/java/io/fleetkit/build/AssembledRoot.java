package io.fleetkit.build;

import java.util.List;

/**
 * The root filesystem as {@link AssembleRootfsStep} leaves it: packages, modules, system files,
 * service sandboxes and the spec's files. The agent and init steps still add to the tree.
 *
 * @param modulePaths the kernel modules in the tree, relative to {@code lib/modules/<release>}
 */
record AssembledRoot(RootTree tree, List<String> modulePaths) {

    AssembledRoot {
        modulePaths = List.copyOf(modulePaths);
    }
}
