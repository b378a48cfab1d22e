package io.fleetkit.formats.fat;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.formats.disk.ByteRange;
import io.fleetkit.formats.disk.DiskRegion;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads and overwrites a fixed-size file in a FAT partition of a whole-disk image or device
 * without mounting it: the file is located afresh on every call (U-Boot's {@code fatwrite} may
 * have moved it), only its data bytes are written (never the FAT or a directory entry, so the
 * file system stays exactly as consistent as it was), the size must stay the same, and the
 * write is fsynced before returning.
 */
public final class FatFileInPlace {

    /** Files the device reads whole are small (boot state, identity); a bigger one is a wrong path. */
    private static final long MAX_READ = 64L * 1024 * 1024;

    private final Path disk;
    private final long partitionOffset;

    public FatFileInPlace(Path disk, long partitionOffset) {
        this.disk = disk;
        this.partitionOffset = partitionOffset;
    }

    public Path disk() {
        return disk;
    }

    /** The file's bytes; empty when there is no such file (a directory is not one). */
    public Optional<byte[]> read(String path) throws IOException {
        try (FileChannel ch = FileChannel.open(disk, StandardOpenOption.READ)) {
            FatImageReader fat = new FatImageReader(ch, partitionOffset);
            Optional<FatFileInfo> file = fat.find(path).filter(f -> !f.directory());
            if (file.isPresent() && file.get().size() > MAX_READ) {
                throw new IOException(path + " is " + file.get().size() + " bytes, too large to read whole");
            }
            return file.isPresent() ? Optional.of(fat.read(file.get())) : Optional.empty();
        }
    }

    /**
     * Where the bytes of {@code path} lie on the disk, in file order (absolute offsets), for reading a
     * file too large to hold in memory; empty when there is no such file. The ranges are valid until
     * the file system is next changed.
     */
    public Optional<List<ByteRange>> extents(String path) throws IOException {
        try (FileChannel ch = FileChannel.open(disk, StandardOpenOption.READ)) {
            FatImageReader fat = new FatImageReader(ch, partitionOffset);
            Optional<FatFileInfo> file = fat.find(path).filter(f -> !f.directory());
            if (file.isEmpty()) {
                return Optional.empty();
            }
            List<ByteRange> out = new ArrayList<>();
            for (ByteRange r : fat.dataRanges(file.get())) {
                out.add(r.shift(partitionOffset));
            }
            return Optional.of(out);
        }
    }

    /** Replaces the bytes of {@code path}, which must exist with exactly {@code data.length} bytes. */
    public void overwrite(String path, byte[] data) throws IOException {
        try (FileChannel ch = FileChannel.open(disk, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FatImageReader fat = new FatImageReader(ch, partitionOffset);
            FatFileInfo f = fat.find(path).filter(i -> !i.directory()).orElseThrow(() -> new FleetkitException(
                    "boot.file-missing", path + " is missing from the boot partition of " + disk,
                    "Reflash the boot partition; the image builder creates it at its fixed size."));
            if (f.size() != data.length) {
                throw new FleetkitException("boot.file-size", path + " on " + disk + " is " + f.size() + " bytes, expected "
                        + data.length + "; it is rewritten in place and cannot change size",
                        "Reflash the boot partition with a Fleetkit image.");
            }
            DiskRegion volume = new DiskRegion(ch, partitionOffset);
            int at = 0;
            for (ByteRange r : fat.dataRanges(f)) {
                volume.write(r.offset(), data, at, (int) r.length());
                at += (int) r.length();
            }
            ch.force(true);
        }
    }
}
