package io.fleetkit.board;

import java.util.Objects;

/**
 * A file a board's boot firmware needs on its boot or slot partition, taken from a Debian package.
 *
 * @param debianPackage package that ships it, e.g. {@code raspi-firmware}
 * @param sourcePath    path inside the package's extracted tree, without a leading slash,
 *                      e.g. {@code usr/lib/raspi-firmware/start4.elf}
 * @param targetName    file name on the FAT partition, e.g. {@code start4.elf}
 * @param bootPartition true when it belongs on p1 (e.g. Pi 3 {@code bootcode.bin}), false for each slot
 */
public record FirmwareFile(String debianPackage, String sourcePath, String targetName, boolean bootPartition) {

    public FirmwareFile {
        Objects.requireNonNull(debianPackage, "debianPackage");
        Objects.requireNonNull(sourcePath, "sourcePath");
        Objects.requireNonNull(targetName, "targetName");
        if (sourcePath.startsWith("/")) {
            throw new IllegalArgumentException("sourcePath must be relative: " + sourcePath);
        }
    }

    static FirmwareFile raspi(String name, boolean bootPartition) {
        return new FirmwareFile("raspi-firmware", "usr/lib/raspi-firmware/" + name, name, bootPartition);
    }
}
