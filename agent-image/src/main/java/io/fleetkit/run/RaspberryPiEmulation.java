package io.fleetkit.run;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.formats.fat.FatImageReader;
import io.fleetkit.formats.mbr.MbrReader;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A Raspberry Pi 3 image on qemu's {@code raspi3b} machine. qemu does not run the GPU firmware
 * ({@code bootcode.bin}, {@code start.elf}, {@code config.txt}): it plays the firmware's part itself,
 * loading the image's own U-Boot ({@code u-boot.bin} from p1) at the ARM's entry and the device
 * tree ({@code bcm2837-rpi-3-b.dtb} from p1) into RAM, and handing U-Boot that tree's address as the
 * firmware would ({@code ${fdt_addr}}). From U-Boot on, everything is the image's own. The SD card's
 * size must be a power of two: a writable disk is grown in place (the tail is outside every
 * partition); otherwise qemu gets a sparse copy in {@code workDir}, grown, and the image stays as it was. U-Boot and the
 * kernel talk on the mini UART, qemu's second serial port.
 *
 * @param drive the file qemu uses as the SD card
 * @param format its format ({@code raw})
 */
public record RaspberryPiEmulation(Path drive, String format, Path uBoot, Path deviceTree) {

    public static final String MACHINE = "raspi3b";
    public static final String DEVICE_TREE = "bcm2837-rpi-3-b.dtb";
    private static final String U_BOOT = "u-boot.bin";

    /** Takes U-Boot and the device tree from p1 of {@code disk} into {@code workDir} and gives qemu an SD card of a size it takes. */
    public static RaspberryPiEmulation prepare(Path disk, Path workDir, boolean writable) throws IOException {
        Files.createDirectories(workDir);
        Path uBoot = workDir.resolve(U_BOOT);
        Path dtb = workDir.resolve(DEVICE_TREE);
        long size;
        try (FileChannel ch = FileChannel.open(disk, StandardOpenOption.READ)) {
            size = ch.size();
            long p1 = MbrReader.read(ch).require(1, "boot").startByte();
            try (FatImageReader boot = new FatImageReader(ch, p1)) {
                for (String name : List.of(U_BOOT, DEVICE_TREE)) {
                    if (boot.find(name).isEmpty()) {
                        throw new FleetkitException("run.not-a-pi3-image", disk + " has no " + name + " on its boot partition",
                                "build the image for board rpi3");
                    }
                }
                Files.write(uBoot, boot.read(U_BOOT));
                Files.write(dtb, boot.read(DEVICE_TREE));
            }
        }
        long sdSize = Long.highestOneBit(size) == size ? size : Long.highestOneBit(size) << 1;
        Path card = disk;
        if (!writable) {
            // A sparse copy to grow and write to: qemu's -snapshot overlay would keep the image's own size.
            card = workDir.resolve("sd.img");
            Files.deleteIfExists(card);
            run(List.of("cp", "--sparse=always", disk.toAbsolutePath().toString(), card.toString()));
        }
        if (sdSize != size) {
            try (FileChannel ch = FileChannel.open(card, StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.allocate(1), sdSize - 1);
            }
        }
        return new RaspberryPiEmulation(card, "raw", uBoot, dtb);
    }

    public List<String> argv() {
        return new ArrayList<>(List.of("qemu-system-aarch64", "-M", MACHINE, "-kernel", uBoot.toString(),
                "-dtb", deviceTree.toString(), "-drive", "file=" + drive.toAbsolutePath() + ",if=sd,format=" + format,
                "-serial", "null", "-serial", "stdio", "-display", "none", "-monitor", "none"));
    }

    private static void run(List<String> command) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new FleetkitException("run.no-qemu", "cannot start " + command.get(0) + ": " + e.getMessage(),
                    "sudo apt-get install coreutils qemu-system-arm", e);
        }
        try {
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
    }
}
