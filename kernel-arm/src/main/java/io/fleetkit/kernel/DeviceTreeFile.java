package io.fleetkit.kernel;

import java.nio.file.Path;

/**
 * A device tree to copy into a slot: {@code relativePath} inside the kernel's dtb directory,
 * {@code source} on disk, {@code targetName} on the FAT partition (the Pi firmware looks in the root).
 */
public record DeviceTreeFile(String relativePath, Path source, String targetName) {
}
