package io.fleetkit.ota.boot;

import io.fleetkit.events.FleetkitException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Reads and overwrites a fixed-size file in a FAT partition of a whole-disk image or device
 * without mounting it: the file is located afresh on every call (U-Boot's {@code fatwrite} may
 * have moved it), only its data bytes are written, the size must stay the same, and the
 * write is fsynced before returning.
 */
public final class FatFileInPlace {

    private final Path disk;
    private final long partitionOffset;

    public FatFileInPlace(Path disk, long partitionOffset) {
        this.disk = disk;
        this.partitionOffset = partitionOffset;
    }

    public Path disk() {
        return disk;
    }

    public Optional<byte[]> read(String path) throws IOException {
        try (FileChannel ch = FileChannel.open(disk, StandardOpenOption.READ)) {
            return new FatFileLocator(ch, partitionOffset).readFile(path);
        }
    }

    /** Replaces the bytes of {@code path}, which must exist with exactly {@code data.length} bytes. */
    public void overwrite(String path, byte[] data) throws IOException {
        try (FileChannel ch = FileChannel.open(disk, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FatFileLocator.FatFile f = new FatFileLocator(ch, partitionOffset).find(path).orElseThrow(() -> new FleetkitException(
                    "boot.file-missing", path + " is missing from the boot partition of " + disk,
                    "Reflash the boot partition; the image builder creates it at its fixed size."));
            if (f.size() != data.length) {
                throw new FleetkitException("boot.file-size", path + " on " + disk + " is " + f.size() + " bytes, expected "
                        + data.length + "; it is rewritten in place and cannot change size",
                        "Reflash the boot partition with a Fleetkit image.");
            }
            int pos = 0;
            for (FatFileLocator.Extent e : f.extents()) {
                ByteBuffer b = ByteBuffer.wrap(data, pos, (int) e.length());
                long at = e.offset();
                while (b.hasRemaining()) {
                    at += ch.write(b, at);
                }
                pos += (int) e.length();
            }
            ch.force(true);
        }
    }
}
