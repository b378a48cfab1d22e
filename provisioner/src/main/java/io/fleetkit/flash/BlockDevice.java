package io.fleetkit.flash;

import java.nio.file.Path;
import java.util.List;

/**
 * A whole disk as sysfs describes it, and what stands against flashing it.
 *
 * @param partitions  kernel names of its partitions
 * @param mountPoints where it or its partitions are mounted
 * @param holders     devices built on it (device mapper, md), from {@code holders/}
 * @param system      it holds the running system's root file system
 * @param serial      the card's or disk's serial when sysfs knows it, else null
 */
public record BlockDevice(String name, Path path, long sizeBytes, String model, boolean removable, boolean readOnly,
                          List<String> partitions, List<String> mountPoints, List<String> holders, boolean system,
                          String serial) {

    public boolean mounted() {
        return !mountPoints.isEmpty();
    }

    /** Safe to flash without any override: removable, not the system, nothing mounted or built on it. */
    public boolean safe() {
        return removable && !system && !mounted() && holders.isEmpty() && !readOnly && sizeBytes > 0;
    }
}
