package io.fleetkit.build;

import io.fleetkit.board.BootloaderKind;
import io.fleetkit.formats.bmap.BlockMapBuilder;
import io.fleetkit.formats.bmap.BmapWriter;
import io.fleetkit.formats.disk.ByteRange;
import io.fleetkit.formats.fat.FatImageWriter;
import io.fleetkit.formats.fat.FatVolumeSpec;
import io.fleetkit.formats.fat.FatWriteResult;
import io.fleetkit.formats.mbr.MbrPartition;
import io.fleetkit.formats.mbr.MbrWriter;
import io.fleetkit.formats.mbr.PartitionTable;
import io.fleetkit.packages.BoardKernel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The raw disk image, sparse: MBR, p1 boot, p2 slot A (the slot image), p3 slot B left empty,
 * p4 data with its first MiB zeroed so the device formats it on first boot. Every range that must
 * reach the card is recorded for the bmap — each filesystem densely from its start to its last
 * written byte, so a card that held something else gets no stale FAT or directory bytes.
 */
final class WriteDiskStep implements BuildStep<DiskImage> {

    private static final int ZEROED_DATA_HEAD = 1 << 20;

    private final BuildInputs in;
    private final BoardKernel kernel;
    private final SlotImage slot;

    WriteDiskStep(BuildInputs in, BoardKernel kernel, SlotImage slot) {
        this.in = in;
        this.kernel = kernel;
        this.slot = slot;
    }

    static boolean needed(BuildInputs in) {
        return in.wants(OutputFormat.IMG) || in.wants(OutputFormat.BMAP)
                || in.wants(OutputFormat.IMG_XZ) || in.wants(OutputFormat.IMG_ZST)
                || WriteNetbootStep.installs(in);
    }

    @Override
    public String name() {
        return "disk";
    }

    @Override
    public DiskImage run() throws IOException {
        PartitionTable table = in.layout().table(in.stableId("disk"));
        List<MbrPartition> parts = table.partitions();
        Path target = in.outputs().path(OutputFormat.IMG);
        Path tmp = Files.createTempFile(target.getParent(), ".img-", ".tmp");
        List<ByteRange> ranges = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.READ,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.allocate(1), in.layout().diskBytes() - 1);
            ranges.add(MbrWriter.write(table, ch));

            MbrPartition boot = parts.get(DiskLayout.BOOT);
            FatVolumeSpec bootVolume = new FatVolumeSpec(boot.sizeBytes(), null, "FLEETBOOT", in.stableId("boot"),
                    in.epoch().getEpochSecond(), boot.startLba());
            FatWriteResult bootFat = new FatImageWriter(bootVolume, in.events())
                    .write(BootPartitionContents.tree(in, kernel), ch, boot.startByte());
            ranges.add(dense(boot.startByte(), bootFat));

            MbrPartition slotA = parts.get(DiskLayout.SLOT_A);
            copySlot(slot.file(), ch, slotA.startByte());
            ranges.add(new ByteRange(slotA.startByte(), slot.bytes()));

            MbrPartition data = parts.get(DiskLayout.DATA);
            ch.write(ByteBuffer.allocate(ZEROED_DATA_HEAD), data.startByte());
            ranges.add(new ByteRange(data.startByte(), ZEROED_DATA_HEAD));
            ch.force(true);
            if (in.board().raspberryPi()) {
                // No emulator runs the GPU firmware: read the finished image as each model's firmware would.
                List<PiFirmwareBootCheck.ModelBoot> boots = firmwareBoots(ch, slot);
                in.events().info("firmware", boots.size() + " firmware boots of " + in.board().name() + " (" + boots.stream()
                        .map(b -> b.model().displayName + (b.tryboot() ? " tryboot" : "")).distinct().count()
                        + " models) find config.txt, start files, kernel and device tree");
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        List<ByteRange> written = ByteRange.merge(ranges);
        if (in.wants(OutputFormat.BMAP)) {
            new BmapWriter(in.events()).write(target, new BlockMapBuilder().addAll(written).build(),
                    in.outputs().path(OutputFormat.BMAP));
        }
        return new DiskImage(target, written, in.layout().diskBytes(), in.layout().bootBytes());
    }

    private static ByteRange dense(long start, FatWriteResult fat) {
        long end = fat.writtenRanges().stream().mapToLong(ByteRange::end).max().orElse(start);
        return new ByteRange(start, end - start);
    }

    /**
     * The image as each model's firmware reads it. With firmware tryboot the trial boots slot B, which the
     * image leaves empty until the first update writes a slot image there: that boot is read from the slot
     * image this build made, as an update would bring it.
     */
    private List<PiFirmwareBootCheck.ModelBoot> firmwareBoots(FileChannel disk, SlotImage slot)
            throws IOException {
        if (in.board().bootloader() != BootloaderKind.RPI_TRYBOOT) {
            return PiFirmwareBootCheck.require(disk, in.board());
        }
        try (FileChannel slotImage = FileChannel.open(slot.file(), StandardOpenOption.READ)) {
            return PiFirmwareBootCheck.require(disk, in.board(), Map.of(DiskLayout.SLOT_B + 1, slotImage));
        }
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
