package io.fleetkit.build;

import io.fleetkit.formats.disk.ByteRange;
import io.fleetkit.formats.fat.FatImageWriter;
import io.fleetkit.formats.fat.FatVolumeSpec;
import io.fleetkit.formats.fat.FatWriteResult;
import io.fleetkit.packages.BoardKernel;
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
final class WriteSlotStep implements BuildStep<SlotImage> {

    private static final long BLOCK = 4096;

    private final BuildInputs in;
    private final BoardKernel kernel;
    private final InitramfsImage initramfs;

    WriteSlotStep(BuildInputs in, BoardKernel kernel, InitramfsImage initramfs) {
        this.in = in;
        this.kernel = kernel;
        this.initramfs = initramfs;
    }

    @Override
    public String name() {
        return "slot";
    }

    @Override
    public SlotImage run() throws IOException {
        byte[] kernelImage = SlotContents.kernelImage(in, kernel);
        String cmdline = SlotContents.cmdline(in);
        if (in.board().raspberryPi() && in.board().bootloader() == io.fleetkit.board.BootloaderKind.UBOOT_SCRIPT) {
            UBootAddressCheck.require(in.board().name(), BootPartitionContents.scriptParameters(in.board()).addresses(),
                    in.board().loadWindowBytes(), UBootAddressCheck.imageSize(kernel.tree().image()), kernelImage.length,
                    initramfs.bytes().length);
        }
        FatVolumeSpec volume = new FatVolumeSpec(in.layout().slotBytes(), null, "FLEETSLOT", SlotContents.volumeId(in),
                in.epoch().getEpochSecond(), 0);
        Path target = in.outputs().path(OutputFormat.SLOT);
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), ".slot-", ".tmp");
        FatWriteResult result;
        long size;
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            // kernel and initramfs on chunk boundaries: unchanged, they are found by a delta update wherever they moved
            result = new FatImageWriter(volume, in.events()).alignFilesTo(WriteInitramfsStep.ALIGNMENT)
                    .write(SlotContents.tree(in, kernel, kernelImage, initramfs.bytes(), cmdline), ch, 0);
            long end = result.writtenRanges().stream().mapToLong(ByteRange::end).max().orElse(0);
            size = (end + BLOCK - 1) / BLOCK * BLOCK;
            if (ch.size() < size) {
                ch.write(java.nio.ByteBuffer.allocate(1), size - 1);
            }
            ch.truncate(size);
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new SlotImage(target, size, in.layout().slotBytes(), result.freeClusters(), kernelImage, cmdline);
    }
}
