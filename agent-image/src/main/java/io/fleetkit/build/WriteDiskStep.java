package io.fleetkit.build;

import io.fleetkit.formats.bmap.BlockMapBuilder;
import io.fleetkit.formats.bmap.BmapWriter;
import io.fleetkit.formats.disk.ByteRange;
import io.fleetkit.formats.fat.FatImageWriter;
import io.fleetkit.formats.fat.FatVolumeSpec;
import io.fleetkit.formats.fat.FatWriteResult;
import io.fleetkit.formats.mbr.MbrPartition;
import io.fleetkit.formats.mbr.MbrWriter;
import io.fleetkit.formats.mbr.PartitionTable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The raw disk image, sparse: MBR, p1 boot, p2 slot A (the slot image), p3 slot B left empty,
 * p4 data with its first MiB zeroed so the device formats it on first boot. Every range that must
 * reach the card is recorded for the bmap — each filesystem densely from its start to its last
 * written byte, so a card that held something else gets no stale FAT or directory bytes.
 */
final class WriteDiskStep implements BuildStep {

    private static final int ZEROED_DATA_HEAD = 1 << 20;

    @Override
    public String name() {
        return "disk";
    }

    @Override
    public boolean needed(BuildContext c) {
        return c.request.wants(OutputFormat.IMG) || c.request.wants(OutputFormat.BMAP)
                || c.request.wants(OutputFormat.IMG_XZ) || c.request.wants(OutputFormat.IMG_ZST)
                || WriteNetbootStep.installs(c);
    }

    @Override
    public void run(BuildContext c) throws IOException {
        PartitionTable table = c.layout.table(c.stableId("disk"));
        List<MbrPartition> parts = table.partitions();
        Path target = c.outputs.path(OutputFormat.IMG);
        Path tmp = Files.createTempFile(target.getParent(), ".img-", ".tmp");
        List<ByteRange> ranges = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.READ,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.allocate(1), c.layout.diskBytes() - 1);
            ranges.add(MbrWriter.write(table, ch));

            MbrPartition boot = parts.get(DiskLayout.BOOT);
            FatVolumeSpec bootVolume = new FatVolumeSpec(boot.sizeBytes(), null, "FLEETBOOT", c.stableId("boot"),
                    c.epoch.getEpochSecond(), boot.startLba());
            FatWriteResult bootFat = new FatImageWriter(bootVolume, c.events).write(BootPartitionContents.tree(c), ch, boot.startByte());
            ranges.add(dense(boot.startByte(), bootFat));

            MbrPartition slotA = parts.get(DiskLayout.SLOT_A);
            copySlot(c.slotImage, ch, slotA.startByte());
            ranges.add(new ByteRange(slotA.startByte(), c.slotBytes));

            MbrPartition data = parts.get(DiskLayout.DATA);
            ch.write(ByteBuffer.allocate(ZEROED_DATA_HEAD), data.startByte());
            ranges.add(new ByteRange(data.startByte(), ZEROED_DATA_HEAD));
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        c.diskRanges = ByteRange.merge(ranges);
        if (c.request.wants(OutputFormat.BMAP)) {
            new BmapWriter(c.events).write(target, new BlockMapBuilder().addAll(c.diskRanges).build(),
                    c.outputs.path(OutputFormat.BMAP));
        }
        long mapped = c.diskRanges.stream().mapToLong(ByteRange::length).sum();
        c.report.put("diskBytes", c.layout.diskBytes());
        c.report.put("diskMappedBytes", mapped);
        c.report.put("bootFilesystemBytes", c.layout.bootBytes());
    }

    private static ByteRange dense(long start, FatWriteResult fat) {
        long end = fat.writtenRanges().stream().mapToLong(ByteRange::end).max().orElse(start);
        return new ByteRange(start, end - start);
    }

    private static void copySlot(Path slot, FileChannel disk, long offset) throws IOException {
        try (FileChannel in = FileChannel.open(slot, StandardOpenOption.READ)) {
            long size = in.size();
            long done = 0;
            while (done < size) {
                done += in.transferTo(done, size - done, disk.position(offset + done));
            }
        }
    }
}
