package io.fleetkit.build;

import io.fleetkit.ota.bundle.BundleRelease;
import io.fleetkit.ota.bundle.BundleWriter;
import io.fleetkit.spec.UpdateSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The signed OTA bundle: manifest (signed with the fleet's key) followed by the slot image. */
final class WriteBundleStep implements BuildStep<SignedBundle> {

    private final BuildInputs in;
    private final UpdateSpec update;
    private final SlotImage slot;

    WriteBundleStep(BuildInputs in, SlotImage slot) {
        this.in = in;
        this.update = in.spec().update().orElseThrow(() -> new IllegalArgumentException("the spec has no update section"));
        this.slot = slot;
    }

    static boolean needed(BuildInputs in) {
        if (in.wants(OutputFormat.BUNDLE) && in.spec().update().isEmpty()) {
            in.events().debug("bundle", "no update section in the spec: no bundle");
        }
        return in.wants(OutputFormat.BUNDLE) && in.spec().update().isPresent();
    }

    @Override
    public String name() {
        return "bundle";
    }

    /**
     * The manifest's creation time, from which its expiry counts. With SOURCE_DATE_EPOCH (or the
     * spec's source_date_epoch) it is that, and the bundle is reproducible. Without, the default
     * epoch of 1980 would make every bundle born expired, so the build day is used: bundles built
     * on the same day are identical, and the build says how to pin it.
     */
    static Instant createdAt(BuildInputs in) {
        boolean pinned = in.request().environment().containsKey("SOURCE_DATE_EPOCH") || in.spec().sourceDateEpoch().isPresent();
        if (pinned) {
            return in.epoch();
        }
        in.events().debug("bundle", "SOURCE_DATE_EPOCH is not set: the bundle's creation time is today; set it for a reproducible bundle");
        return Instant.now().truncatedTo(ChronoUnit.DAYS);
    }

    @Override
    public SignedBundle run() throws IOException {
        BundleRelease release = BundleRelease.of(in.spec().name(), in.spec().version(), in.board().name(),
                VersionNumber.of(in.spec().version()), createdAt(in));
        Path bundle = BundleWriter.writeFile(release, slot.file(), UpdateKeys.signingKey(update.keys()), in.outputs().dir());
        return new SignedBundle(bundle, release.versionNumber());
    }
}
