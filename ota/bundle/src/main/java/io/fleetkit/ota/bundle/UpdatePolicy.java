package io.fleetkit.ota.bundle;

import java.time.Clock;
import java.time.Instant;

/**
 * Decides whether a device may install a verified bundle: same board, not expired, newer than
 * the committed version (unless the manifest signs an explicit downgrade), and small enough for
 * the slot. Each refusal has its own {@link BundleRefusal}.
 */
public final class UpdatePolicy {

    private final Clock clock;

    public UpdatePolicy(Clock clock) {
        this.clock = clock;
    }

    /** Returns normally when acceptable; throws {@link BundleRefusedException} otherwise. */
    public void check(VerifiedManifest verified, DeviceFacts device) {
        BundleManifest m = verified.manifest();
        String what = m.name() + " " + m.version();
        if (!m.board().equals(device.board())) {
            throw new BundleRefusedException(BundleRefusal.WRONG_BOARD,
                    "bundle " + what + " is for board " + m.board() + ", this device is " + device.board());
        }
        Instant now = clock.instant();
        if (!now.isBefore(m.expiresAt())) {
            throw new BundleRefusedException(BundleRefusal.EXPIRED,
                    "bundle " + what + " expired at " + m.expiresAt() + " (device time " + now + ")");
        }
        if (m.versionNumber() <= device.committedVersionNumber() && !m.allowDowngrade()) {
            String rel = m.versionNumber() == device.committedVersionNumber() ? "the same as" : "older than";
            throw new BundleRefusedException(BundleRefusal.DOWNGRADE, "bundle " + what + " has version number "
                    + m.versionNumber() + ", " + rel + " the committed " + device.committedVersionNumber());
        }
        if (m.slotSize() > device.slotPartitionSize()) {
            throw new BundleRefusedException(BundleRefusal.SLOT_TOO_SMALL, "bundle " + what + " has a " + m.slotSize()
                    + "-byte slot image, the slot partition holds " + device.slotPartitionSize() + " bytes");
        }
    }
}
