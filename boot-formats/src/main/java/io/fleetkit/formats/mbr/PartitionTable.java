package io.fleetkit.formats.mbr;

import io.fleetkit.events.FleetkitException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * An MBR partition table: the 32-bit disk signature and up to four primary partitions, each with
 * its entry number (1..4, the {@code N} of {@code /dev/mmcblk0pN}). A table built in code numbers
 * its partitions 1, 2, ... in order; a table read from a disk keeps the numbers of the used
 * entries, so an empty entry never shifts the ones after it.
 */
public record PartitionTable(int diskSignature, List<MbrPartition> partitions, List<Integer> numbers) {

    public static final int SECTOR = 512;
    public static final long ALIGNMENT_BYTES = 4L << 20;

    public PartitionTable {
        partitions = List.copyOf(partitions);
        numbers = List.copyOf(numbers);
        if (partitions.size() > 4) {
            throw new FleetkitException("image.mbr-invalid", partitions.size()
                    + " partitions given; an MBR holds at most 4 primary partitions", null);
        }
        if (numbers.size() != partitions.size()) {
            throw new IllegalArgumentException(numbers.size() + " entry numbers for " + partitions.size() + " partitions");
        }
        for (int i = 0; i < numbers.size(); i++) {
            if (numbers.get(i) < 1 || numbers.get(i) > 4 || i > 0 && numbers.get(i) <= numbers.get(i - 1)) {
                throw new IllegalArgumentException("entry numbers must rise within 1..4: " + numbers);
            }
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

    /** Partitions in entries 1, 2, ... in the order given. */
    public PartitionTable(int diskSignature, List<MbrPartition> partitions) {
        this(diskSignature, partitions, IntStream.rangeClosed(1, partitions.size()).boxed().toList());
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

    /** The partition in entry {@code number} (1..4), empty when that entry is unused. */
    public Optional<MbrPartition> partition(int number) {
        int i = numbers.indexOf(number);
        return i < 0 ? Optional.empty() : Optional.of(partitions.get(i));
    }

    /** The partition in entry {@code number} or a clear error naming the disk layout that was expected. */
    public MbrPartition require(int number, String what) {
        return partition(number).orElseThrow(() -> new FleetkitException("disk.missing-partition",
                "the disk has no partition " + number + " (" + what + "); it has " + partitions,
                "Flash the device with a Fleetkit image: p1 boot, p2 slot A, p3 slot B, p4 data."));
    }
}
