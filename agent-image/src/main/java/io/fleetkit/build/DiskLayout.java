package io.fleetkit.build;

import io.fleetkit.board.BoardProfile;
import io.fleetkit.formats.fat.FatGeometry;
import io.fleetkit.formats.fat.FatType;
import io.fleetkit.formats.mbr.MbrPartition;
import io.fleetkit.formats.mbr.PartitionTable;
import io.fleetkit.spec.LayoutSpec;
import java.util.List;

/**
 * The A/B disk: p1 boot, p2 slot A, p3 slot B, p4 data, each starting on a 4 MiB boundary
 * (DESIGN.md). Sizes come from the spec, else the board's defaults.
 */
record DiskLayout(long bootBytes, long slotBytes, long dataBytes) {

    static final int BOOT = 0;
    static final int SLOT_A = 1;
    static final int SLOT_B = 2;
    static final int DATA = 3;

    static DiskLayout of(LayoutSpec spec, BoardProfile board) {
        return new DiskLayout(
                PartitionTable.alignUp(spec.bootSize().orElse(board.layout().bootBytes())),
                PartitionTable.alignUp(spec.slotSize().orElse(board.layout().slotBytes())),
                PartitionTable.alignUp(spec.dataSize().orElse(board.layout().dataBytes())));
    }

    PartitionTable table(int diskSignature) {
        long sector = PartitionTable.SECTOR;
        long start = PartitionTable.ALIGNMENT_BYTES / sector;
        long boot = bootBytes / sector;
        long slot = slotBytes / sector;
        long data = dataBytes / sector;
        return new PartitionTable(diskSignature, List.of(
                new MbrPartition(start, boot, MbrPartition.TYPE_FAT32_LBA, true),
                new MbrPartition(start + boot, slot, slotType(), false),
                new MbrPartition(start + boot + slot, slot, slotType(), false),
                new MbrPartition(start + boot + 2 * slot, data, MbrPartition.TYPE_LINUX, false)));
    }

    /** The slots' partition type says which FAT their size makes (WriteSlotStep lets the size choose): 0x0e or 0x0c. */
    int slotType() {
        return FatGeometry.choose(slotBytes, null, 512, 0).type() == FatType.FAT16
                ? MbrPartition.TYPE_FAT16_LBA : MbrPartition.TYPE_FAT32_LBA;
    }

    long diskBytes() {
        return PartitionTable.ALIGNMENT_BYTES + bootBytes + 2 * slotBytes + dataBytes;
    }
}
