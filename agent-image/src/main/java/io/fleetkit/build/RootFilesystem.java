package io.fleetkit.build;

/**
 * The finished root filesystem ({@link WriteInitStep}): nothing adds to the tree after this.
 *
 * @param contentBytes the bytes of its file contents
 * @param entries      its number of entries
 */
record RootFilesystem(RootTree tree, long contentBytes, int entries) {

    BuildReport.Sizes.Rootfs report() {
        return new BuildReport.Sizes.Rootfs(contentBytes, entries);
    }
}
