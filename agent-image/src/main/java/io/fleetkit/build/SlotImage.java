package io.fleetkit.build;

import java.nio.file.Path;

/**
 * The slot image ({@link WriteSlotStep}): the OTA payload and slot A of the disk.
 *
 * @param file           where it was written (deleted at the end when the slot output was not asked for)
 * @param bytes          its size: the slot filesystem up to its last written byte, in whole 4 KiB blocks
 * @param partitionBytes the size of the slot partition it fills
 * @param kernelImage    the kernel as the slot stores it, for the netboot tree
 * @param cmdline        the kernel command line the slot boots with
 */
record SlotImage(Path file, long bytes, long partitionBytes, long freeClusters, byte[] kernelImage, String cmdline) {

    BuildReport.Sizes.Slot report() {
        return new BuildReport.Sizes.Slot(kernelImage.length, bytes, partitionBytes, freeClusters, cmdline);
    }
}
