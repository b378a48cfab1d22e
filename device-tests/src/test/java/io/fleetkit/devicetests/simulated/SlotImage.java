package io.fleetkit.devicetests.simulated;

import io.fleetkit.events.EventSink;
import io.fleetkit.formats.disk.ByteRange;
import io.fleetkit.formats.fat.FatImageWriter;
import io.fleetkit.formats.fat.FatTree;
import io.fleetkit.formats.fat.FatVolumeSpec;
import io.fleetkit.formats.fat.FatWriteResult;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;

/**
 * A slot image as {@code fleet build}'s WriteSlotStep makes one: a FAT volume as large as the slot
 * partition holding {@code slot.json} and a kernel-sized blob, kept only up to its last written
 * byte (rounded to 4 KiB) — that prefix is the OTA payload.
 */
final class SlotImage {

    private SlotImage() {
    }

    /** A slot of {@code version} for a {@code partitionBytes} partition, with {@code kernelBytes} of seeded random "kernel". */
    static byte[] of(String version, int kernelBytes, long partitionBytes) throws IOException {
        return of(version, version, kernelBytes, partitionBytes);
    }

    /** The same, with the "kernel" of {@code kernelVersion}: a new version that keeps its kernel, as most updates do. */
    static byte[] of(String version, String kernelVersion, int kernelBytes, long partitionBytes) throws IOException {
        FatTree t = new FatTree();
        t.addFile("slot.json", ("{\"version\":\"" + version + "\"}").getBytes(StandardCharsets.UTF_8));
        byte[] kernel = new byte[kernelBytes];
        new Random(kernelVersion.hashCode()).nextBytes(kernel);
        t.addFile("Image", kernel);
        Path tmp = Files.createTempFile("slot-", ".img");
        try {
            long end;
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                FatWriteResult r = new FatImageWriter(new FatVolumeSpec(partitionBytes, null, "FLEETSLOT", version.hashCode(),
                        DeviceDisk.EPOCH, 0), EventSink.NONE).write(t, ch, 0);
                end = r.writtenRanges().stream().mapToLong(ByteRange::end).max().orElse(0);
            }
            byte[] written = Files.readAllBytes(tmp);
            return Arrays.copyOf(written, (int) ((end + 4095) / 4096 * 4096));
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static Path write(Path file, String version, int kernelBytes, long partitionBytes) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.write(file, of(version, kernelBytes, partitionBytes));
    }
}
