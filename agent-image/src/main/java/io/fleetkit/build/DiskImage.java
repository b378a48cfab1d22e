package io.fleetkit.build;

import io.fleetkit.formats.disk.ByteRange;
import java.nio.file.Path;
import java.util.List;

/**
 * The raw disk image ({@link WriteDiskStep}).
 *
 * @param file                where it was written
 * @param writtenRanges       every range that must reach the card, merged and in order (what the bmap maps)
 * @param bytes               its full size
 * @param bootFilesystemBytes the size of the boot partition's filesystem
 */
record DiskImage(Path file, List<ByteRange> writtenRanges, long bytes, long bootFilesystemBytes) {

    DiskImage {
        writtenRanges = List.copyOf(writtenRanges);
    }

    BuildReport.Sizes.Disk report() {
        long mapped = writtenRanges.stream().mapToLong(ByteRange::length).sum();
        return new BuildReport.Sizes.Disk(bytes, mapped, bootFilesystemBytes);
    }
}
