package io.fleetkit.flash;

import io.fleetkit.events.FleetkitException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What a target path is: a regular file (created if missing) or a block device. */
public enum TargetKind {
    FILE, BLOCK_DEVICE;

    private static final int S_IFMT = 0170000;
    private static final int S_IFBLK = 0060000;

    public static TargetKind of(Path target) throws IOException {
        if (!Files.exists(target)) {
            if (target.startsWith("/dev")) {
                throw new FleetkitException("flash.no-target", target + " does not exist",
                        "insert the card; 'fleet flash --list' shows the devices there are");
            }
            return FILE;
        }
        if (Files.isRegularFile(target)) {
            return FILE;
        }
        int mode = (Integer) Files.getAttribute(target, "unix:mode");
        if ((mode & S_IFMT) == S_IFBLK) {
            return BLOCK_DEVICE;
        }
        throw new FleetkitException("flash.bad-target", target + " is neither a regular file nor a block device",
                "give a block device such as /dev/sdb or /dev/mmcblk0, or a file path");
    }
}
