package io.fleetkit.station;

import io.fleetkit.flash.BlockDevice;
import io.fleetkit.flash.TargetSafety;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Notices disks as they are inserted by polling the sysfs block tree (no udev needed). A card
 * reader without a card shows size 0 and counts as absent, so inserting a card into it is an
 * arrival. Disks present at {@link #baseline()} are never reported; a disk that goes away and
 * comes back is reported again. Removable disks only, unless fixed ones are allowed (eMMC exposed
 * by rpiboot and some USB readers report removable=0).
 */
public final class DeviceWatcher {

    private final TargetSafety safety;
    private final boolean allowFixed;
    private final Set<String> known = new HashSet<>();

    public DeviceWatcher(TargetSafety safety, boolean allowFixed) {
        this.safety = safety;
        this.allowFixed = allowFixed;
    }

    /** Takes the disks there now as already seen. */
    public void baseline() throws IOException {
        known.clear();
        for (BlockDevice d : safety.list()) {
            if (d.sizeBytes() > 0) {
                known.add(d.name());
            }
        }
    }

    /** Disks that arrived since the last poll and may be flashed. */
    public List<BlockDevice> poll() throws IOException {
        Set<String> present = new HashSet<>();
        List<BlockDevice> arrived = new ArrayList<>();
        for (BlockDevice d : safety.list()) {
            if (d.sizeBytes() == 0 || d.name().startsWith("loop")) {
                continue;
            }
            present.add(d.name());
            if (!known.contains(d.name()) && (d.removable() || allowFixed) && !d.system()) {
                arrived.add(d);
            }
        }
        known.retainAll(present);
        arrived.forEach(d -> known.add(d.name()));
        return arrived;
    }
}
