package io.fleetkit.build;

import io.fleetkit.ota.bundle.BundleRelease;
import io.fleetkit.ota.bundle.BundleWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

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

    /**
     * The manifest's creation time, from which its expiry counts. With SOURCE_DATE_EPOCH (or the
     * spec's source_date_epoch) it is that, and the bundle is reproducible. Without, the default
     * epoch of 1980 would make every bundle born expired, so the build day is used: bundles built
     * on the same day are identical, and the build says how to pin it.
     */
    static Instant createdAt(BuildContext c) {
        boolean pinned = c.request.environment().containsKey("SOURCE_DATE_EPOCH") || c.spec.sourceDateEpoch().isPresent();
        if (pinned) {
            return c.epoch;
        }
        c.events.debug("bundle", "SOURCE_DATE_EPOCH is not set: the bundle's creation time is today; set it for a reproducible bundle");
        return Instant.now().truncatedTo(ChronoUnit.DAYS);
    }

    @Override
    public void run(BuildContext c) throws IOException {
        BundleRelease release = BundleRelease.of(c.spec.name(), c.spec.version(), c.board.name(),
                VersionNumber.of(c.spec.version()), createdAt(c));
        Path bundle = BundleWriter.writeFile(release, c.slotImage, UpdateKeys.signingKey(c.spec.update().get().keys()),
                c.outputs.dir());
        c.report.put("bundle", bundle.getFileName().toString());
        c.report.put("versionNumber", release.versionNumber());
    }
}
