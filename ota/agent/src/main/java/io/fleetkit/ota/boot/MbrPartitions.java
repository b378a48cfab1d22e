package io.fleetkit.ota.boot;

import io.fleetkit.events.FleetkitException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The four primary entries of a disk's MBR partition table, read from sector 0. */
public record MbrPartitions(List<Partition> partitions) {

    public static final int SECTOR = 512;

    /** One used primary partition; {@code number} is 1..4, offsets and sizes in bytes. */
    public record Partition(int number, int type, long offset, long size) {
    }

    public MbrPartitions {
        partitions = List.copyOf(partitions);
    }

    public static MbrPartitions read(Path disk) throws IOException {
        try (FileChannel ch = FileChannel.open(disk, StandardOpenOption.READ)) {
            return read(ch, disk.toString());
        }
    }

    public static MbrPartitions read(FileChannel ch, String source) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(SECTOR).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining() && ch.read(b, b.position()) > 0) {
            // keep reading: a block device may return short reads
        }
        if (b.position() < SECTOR || (b.get(510) & 0xff) != 0x55 || (b.get(511) & 0xff) != 0xaa) {
            throw new FleetkitException("disk.no-mbr", source + " has no MBR partition table (no 55 aa signature in sector 0)",
                    "Point disk.device at the whole boot disk (e.g. /dev/mmcblk0), not a partition.");
        }
        List<Partition> parts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int e = 446 + 16 * i;
            int type = b.get(e + 4) & 0xff;
            long lba = b.getInt(e + 8) & 0xffffffffL;
            long sectors = b.getInt(e + 12) & 0xffffffffL;
            if (type != 0 && sectors != 0) {
                parts.add(new Partition(i + 1, type, lba * SECTOR, sectors * SECTOR));
            }
        }
        return new MbrPartitions(parts);
    }

    public Optional<Partition> get(int number) {
        return partitions.stream().filter(p -> p.number() == number).findFirst();
    }

    /** The partition or a clear error naming the disk layout that was expected. */
    public Partition require(int number, String what) {
        return get(number).orElseThrow(() -> new FleetkitException("disk.missing-partition",
                "the disk has no partition " + number + " (" + what + "); it has " + partitions,
                "Flash the device with a Fleetkit image: p1 boot, p2 slot A, p3 slot B, p4 data."));
    }
}
