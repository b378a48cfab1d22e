package io.fleetkit.ota.agent.install;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A disk's size: a block device's from sysfs (Java reports 0 for it), a test's file-backed disk's from the file. */
final class BlockDevice {

    private BlockDevice() {
    }

    static long size(Path disk, Path sysBlock) throws IOException {
        if (Files.isRegularFile(disk)) {
            return Files.size(disk);
        }
        Path sectors = sysBlock.resolve(disk.toRealPath().getFileName().toString()).resolve("size");
        if (!Files.isRegularFile(sectors)) {
            throw new IOException("cannot tell the size of " + disk + ": no " + sectors);
        }
        return Long.parseLong(Files.readString(sectors).trim()) * 512;
    }
}
