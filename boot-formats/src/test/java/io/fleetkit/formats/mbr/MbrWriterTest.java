package io.fleetkit.formats.mbr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.formats.testing.HostTool;
import io.fleetkit.json.JsonParser;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MbrWriterTest {

    @TempDir
    Path tmp;

    static final long MIB = 1L << 20;

    /** The Fleetkit layout: boot, slot A, slot B (4 MiB aligned), data to the end of a 2 GiB disk. */
    static PartitionTable layout() {
        long p1 = PartitionTable.alignUpLba(1);
        long p2 = p1 + 64 * MIB / 512;
        long p3 = p2 + 512 * MIB / 512;
        long p4 = p3 + 512 * MIB / 512;
        return new PartitionTable(0x5EEDF00D, List.of(
                new MbrPartition(p1, 64 * MIB / 512, MbrPartition.TYPE_FAT32_LBA, true),
                new MbrPartition(p2, 512 * MIB / 512, MbrPartition.TYPE_FAT32_LBA, false),
                new MbrPartition(p3, 512 * MIB / 512, MbrPartition.TYPE_FAT32_LBA, false),
                new MbrPartition(p4, (2048 * MIB - p4 * 512) / 512, MbrPartition.TYPE_LINUX, false)));
    }

    private Path sparseDisk(String name, long size) throws Exception {
        Path disk = tmp.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(size);
        }
        return disk;
    }

    @Test
    void sfdiskReadsOurTable() throws Exception {
        Path disk = sparseDisk("disk.img", 2048 * MIB);
        try (FileChannel ch = FileChannel.open(disk, StandardOpenOption.WRITE)) {
            MbrWriter.write(layout(), ch);
        }
        String dump = HostTool.check("fdisk", "sfdisk", "--dump", disk.toString()).out();
        assertTrue(dump.contains("label: dos"), dump);
        assertTrue(dump.contains("label-id: 0x5eedf00d"), dump);
        assertTrue(dump.contains("disk.img1 : start=        8192, size=      131072, type=c, bootable"), dump);
        assertTrue(dump.contains("disk.img4 : start=     2236416, size=     1957888, type=83"), dump);

        Map<?, ?> json = (Map<?, ?>) JsonParser.parse(HostTool.check("fdisk", "sfdisk", "--json", disk.toString()).out());
        List<?> parts = (List<?>) ((Map<?, ?>) json.get("partitiontable")).get("partitions");
        assertEquals(4, parts.size());
        assertEquals(1187840L, ((Number) ((Map<?, ?>) parts.get(2)).get("start")).longValue());
        assertEquals("c", ((Map<?, ?>) parts.get(1)).get("type"));
    }

    @Test
    void matchesTheSectorSfdiskWritesForTheSameLayout() throws Exception {
        Path disk = sparseDisk("ref.img", 2048 * MIB);
        StringBuilder script = new StringBuilder("label: dos\nlabel-id: 0x5eedf00d\nunit: sectors\n\n");
        for (MbrPartition p : layout().partitions()) {
            script.append("start=").append(p.startLba()).append(", size=").append(p.sizeSectors())
                    .append(", type=").append(Integer.toHexString(p.type())).append(p.bootable() ? ", bootable" : "")
                    .append('\n');
        }
        HostTool.Result r = HostTool.run("fdisk", Map.of(), null, script.toString().getBytes(StandardCharsets.UTF_8),
                "sfdisk", "--no-reread", "--no-tell-kernel", disk.toString());
        assertEquals(0, r.exit(), r.stderr() + r.out());
        byte[] theirs;
        try (var in = Files.newInputStream(disk)) {
            theirs = in.readNBytes(512);
        }
        assertArrayEquals(theirs, MbrWriter.toBytes(layout()));
    }

    @Test
    void readsBackWhatItWrote() throws Exception {
        Path disk = sparseDisk("rt.img", 2048 * MIB);
        try (FileChannel ch = FileChannel.open(disk, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MbrWriter.write(layout(), ch);
            assertEquals(layout(), MbrReader.read(ch));
        }
    }

    @Test
    void alignsToFourMebibytes() {
        assertEquals(8192, PartitionTable.alignUpLba(1));
        assertEquals(8192, PartitionTable.alignUpLba(8192));
        assertEquals(16384, PartitionTable.alignUpLba(8193));
        assertEquals(0, PartitionTable.alignUp(0));
    }

    @Test
    void refusesOverlapsAndAFifthPartition() {
        MbrPartition a = new MbrPartition(8192, 10000, 0x0c, true);
        MbrPartition b = new MbrPartition(10000, 100, 0x0c, false);
        assertEquals("image.mbr-invalid", assertThrows(FleetkitException.class,
                () -> new PartitionTable(1, List.of(a, b))).code());
        List<MbrPartition> five = List.of(new MbrPartition(1, 1, 1, false), new MbrPartition(2, 1, 1, false),
                new MbrPartition(3, 1, 1, false), new MbrPartition(4, 1, 1, false), new MbrPartition(5, 1, 1, false));
        assertEquals("image.mbr-invalid", assertThrows(FleetkitException.class,
                () -> new PartitionTable(1, five)).code());
    }
}
