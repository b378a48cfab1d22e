package io.fleetkit.formats.mbr;

import io.fleetkit.events.FleetkitException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** Reads the MBR partition table of a disk image or device (empty entries are skipped, numbers kept). */
public final class MbrReader {

    private static final String WHOLE_DISK = "use the whole disk (an image file, or a device such as /dev/mmcblk0), not a partition";

    private MbrReader() {
    }

    public static PartitionTable read(Path disk) throws IOException {
        try (FileChannel ch = FileChannel.open(disk, StandardOpenOption.READ)) {
            return read(ch, disk.toString());
        }
    }

    public static PartitionTable read(SeekableByteChannel ch) throws IOException {
        return read(ch, "the disk");
    }

    private static PartitionTable read(SeekableByteChannel ch, String source) throws IOException {
        ByteBuffer sector = ByteBuffer.allocate(PartitionTable.SECTOR);
        ch.position(0);
        while (sector.hasRemaining()) {
            if (ch.read(sector) < 0) {
                throw new FleetkitException("image.mbr-missing", source + " is shorter than one sector", WHOLE_DISK);
            }
        }
        return parse(sector.array(), source);
    }

    public static PartitionTable parse(byte[] sector) {
        return parse(sector, "the disk");
    }

    private static PartitionTable parse(byte[] sector, String source) {
        ByteBuffer b = ByteBuffer.wrap(sector).order(ByteOrder.LITTLE_ENDIAN);
        if ((b.get(510) & 0xFF) != 0x55 || (b.get(511) & 0xFF) != 0xAA) {
            throw new FleetkitException("image.mbr-missing", "sector 0 of " + source + " does not end in 55 AA; no MBR",
                    WHOLE_DISK);
        }
        List<MbrPartition> parts = new ArrayList<>();
        List<Integer> numbers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int at = 446 + 16 * i;
            int type = b.get(at + 4) & 0xFF;
            long start = b.getInt(at + 8) & 0xFFFFFFFFL;
            long size = b.getInt(at + 12) & 0xFFFFFFFFL;
            if (type == 0 || size == 0) {
                continue;
            }
            if (type == 0xEE) {
                throw new FleetkitException("image.mbr-gpt", "the disk has a GPT protective MBR",
                        "use an MBR-partitioned image");
            }
            parts.add(new MbrPartition(start, size, type, (b.get(at) & 0x80) != 0));
            numbers.add(i + 1);
        }
        return new PartitionTable(b.getInt(440), parts, numbers);
    }
}
