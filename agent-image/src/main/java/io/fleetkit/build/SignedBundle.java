package io.fleetkit.build;

import java.nio.file.Path;

/**
 * The signed OTA bundle ({@link WriteBundleStep}).
 *
 * @param versionNumber the version as the devices order it ({@link VersionNumber})
 */
record SignedBundle(Path file, long versionNumber) {

    BuildReport.Sizes.Bundle report() {
        return new BuildReport.Sizes.Bundle(file.getFileName().toString(), versionNumber);
    }
}
