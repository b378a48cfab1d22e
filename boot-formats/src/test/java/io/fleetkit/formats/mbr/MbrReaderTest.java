package io.fleetkit.formats.mbr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fleetkit.formats.testing.TestDisk;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MbrReaderTest {

    @TempDir
    Path dir;

    @Test
    void readsPartitionTableWrittenBySfdisk() throws Exception {
        TestDisk disk = TestDisk.create(dir, 4, 16, 3, Map.of());
        PartitionTable mbr = MbrReader.read(disk.image);
        long sectors = TestDisk.MIB / PartitionTable.SECTOR;
        assertEquals(new MbrPartition(sectors, 4 * sectors, 0x0c, true), mbr.require(1, "boot"));
        assertEquals(new MbrPartition(5 * sectors, 3 * sectors, 0x0c, false), mbr.require(2, "slot A"));
        assertEquals(new MbrPartition(8 * sectors, 3 * sectors, 0x0c, false), mbr.require(3, "slot B"));
        assertEquals(0x83, mbr.require(4, "data").type());
    }
}
