package io.fleetkit.build;

import io.fleetkit.formats.disk.ByteRange;
import io.fleetkit.formats.fat.FatImageWriter;
import io.fleetkit.formats.fat.FatVolumeSpec;
import io.fleetkit.formats.fat.FatWriteResult;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes the slot: a FAT filesystem as large as a slot partition, stored only up to its last
 * written byte. That prefix is the OTA payload; the rest of a partition is free clusters, so a
 * device writes only what the slot really holds.
 */
final class WriteSlotStep implements BuildStep {

    private static final long BLOCK = 4096;

    @Override
    public String name() {
        return "slot";
    }

    @Override
    public void run(BuildContext c) throws IOException {
        c.kernelImage = SlotContents.kernelImage(c);
        c.kernelCmdline = SlotContents.cmdline(c);
        FatVolumeSpec volume = new FatVolumeSpec(c.layout.slotBytes(), null, "FLEETSLOT", c.stableId("slot"),
                c.epoch.getEpochSecond(), 0);
        Path target = c.outputs.path(OutputFormat.SLOT);
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), ".slot-", ".tmp");
        FatWriteResult result;
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            result = new FatImageWriter(volume, c.events).write(SlotContents.tree(c), ch, 0);
            long end = result.writtenRanges().stream().mapToLong(ByteRange::end).max().orElse(0);
            long size = (end + BLOCK - 1) / BLOCK * BLOCK;
            if (ch.size() < size) {
                ch.write(java.nio.ByteBuffer.allocate(1), size - 1);
            }
            ch.truncate(size);
            ch.force(true);
            c.slotBytes = size;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        c.slotImage = target;
        c.report.put("kernelBytes", c.kernelImage.length);
        c.report.put("slotBytes", c.slotBytes);
        c.report.put("slotPartitionBytes", c.layout.slotBytes());
        c.report.put("slotFreeClusters", result.freeClusters());
        c.report.put("cmdline", c.kernelCmdline);
    }
}
