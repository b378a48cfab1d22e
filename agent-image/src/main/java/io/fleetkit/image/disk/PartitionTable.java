package io.fleetkit.image.disk;

import io.fleetkit.events.FleetkitException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** An MBR partition table: the 32-bit disk signature and up to four primary partitions. */
public record PartitionTable(int diskSignature, List<MbrPartition> partitions) {

    public static final int SECTOR = 512;
    public static final long ALIGNMENT_BYTES = 4L << 20;

    public PartitionTable {
        partitions = List.copyOf(partitions);
        if (partitions.size() > 4) {
            throw new FleetkitException("image.mbr-invalid", partitions.size()
                    + " partitions given; an MBR holds at most 4 primary partitions", null);
        }
        List<MbrPartition> sorted = new ArrayList<>(partitions);
        sorted.sort(Comparator.comparingLong(MbrPartition::startLba));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).startLba() < sorted.get(i - 1).endLba()) {
                throw new FleetkitException("image.mbr-invalid", "partitions overlap: " + sorted.get(i - 1)
                        + " and " + sorted.get(i), "fix the disk layout");
            }
        }
    }

    /** The first 4 MiB boundary at or after {@code bytes}. */
    public static long alignUp(long bytes) {
        return (bytes + ALIGNMENT_BYTES - 1) / ALIGNMENT_BYTES * ALIGNMENT_BYTES;
    }

    /** The LBA of the first 4 MiB boundary at or after {@code lba}. */
    public static long alignUpLba(long lba) {
        return alignUp(lba * SECTOR) / SECTOR;
    }

    /** Smallest disk that holds every partition. */
    public long requiredDiskBytes() {
        return partitions.stream().mapToLong(MbrPartition::endLba).max().orElse(1) * SECTOR;
    }
}
