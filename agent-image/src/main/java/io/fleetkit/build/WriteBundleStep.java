package io.fleetkit.build;

import io.fleetkit.ota.bundle.BundleRelease;
import io.fleetkit.ota.bundle.BundleWriter;
import java.io.IOException;
import java.nio.file.Path;

/** The signed OTA bundle: manifest (signed with the fleet's key) followed by the slot image. */
final class WriteBundleStep implements BuildStep {

    @Override
    public String name() {
        return "bundle";
    }

    @Override
    public boolean needed(BuildContext c) {
        if (c.request.wants(OutputFormat.BUNDLE) && c.spec.update().isEmpty()) {
            c.events.debug("bundle", "no update section in the spec: no bundle");
        }
        return c.request.wants(OutputFormat.BUNDLE) && c.spec.update().isPresent();
    }

    @Override
    public void run(BuildContext c) throws IOException {
        BundleRelease release = BundleRelease.of(c.spec.name(), c.spec.version(), c.board.name(),
                VersionNumber.of(c.spec.version()), c.epoch);
        Path bundle = BundleWriter.writeFile(release, c.slotImage, UpdateKeys.signingKey(c.spec.update().get().keys()),
                c.outputs.dir());
        c.report.put("bundle", bundle.getFileName().toString());
        c.report.put("versionNumber", release.versionNumber());
    }
}
