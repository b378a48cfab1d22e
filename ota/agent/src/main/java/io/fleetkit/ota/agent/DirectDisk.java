package io.fleetkit.ota.agent;

import com.sun.nio.file.ExtendedOpenOption;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The disk as the slot writer uses it: opened with O_DIRECT where the storage allows, so chunks
 * bypass the page cache and go to the device, and a read-back reads what the device returns (through
 * the page cache it proves only what the kernel remembers; O_DIRECT still cannot see past the
 * device's own cache, or a virtual machine host's). It is also what makes an install keep up with a
 * plain write on a small machine: a buffered write copies every byte into the page cache and the
 * kernel's writeback then competes with the verifier for the CPU. O_DIRECT needs aligned offsets,
 * lengths and memory (4 KiB, or the file system's block size where larger), so data goes through an
 * aligned buffer, and what is not aligned (the tail of the last chunk, a partition that does not
 * start on the alignment) is written through the page cache; {@link #force()} makes both durable.
 * Where O_DIRECT is refused at open (some FUSE file systems; tmpfs before Linux 6.6) everything goes
 * through the page cache and {@link #direct()} says so. Not thread-safe, except {@link #force()},
 * which may run beside a write.
 */
final class DirectDisk implements Closeable {

    /** The least alignment used; the file system's block size where that is larger (devtmpfs: the page size, 16 KiB on a Pi 5). */
    private static final int MIN_ALIGN = 4096;

    private final Path disk;
    private final StandardOpenOption mode;
    private final FileChannel direct;
    private final int align;
    private FileChannel buffered;
    private ByteBuffer staging = ByteBuffer.allocate(0);

    private DirectDisk(Path disk, StandardOpenOption mode, FileChannel direct, int align) {
        this.disk = disk;
        this.mode = mode;
        this.direct = direct;
        this.align = align;
    }

    /** Opens {@code disk} for writing. */
    static DirectDisk forWriting(Path disk) throws IOException {
        return open(disk, StandardOpenOption.WRITE, true);
    }

    /** Opens {@code disk} for reading. */
    static DirectDisk forReading(Path disk) throws IOException {
        return open(disk, StandardOpenOption.READ, true);
    }

    /** Opens {@code disk}; with {@code tryDirect} false, or where the storage refuses O_DIRECT, through the page cache only. */
    static DirectDisk open(Path disk, StandardOpenOption mode, boolean tryDirect) throws IOException {
        int align = tryDirect ? alignment(disk) : 0;
        if (align > 0) {
            try {
                return new DirectDisk(disk, mode, FileChannel.open(disk, mode, ExtendedOpenOption.DIRECT), align);
            } catch (IOException | UnsupportedOperationException e) {
                // refused: the page cache it is (a disk that is not there fails below, with the usual exception)
            }
        }
        DirectDisk d = new DirectDisk(disk, mode, null, MIN_ALIGN);
        d.buffered();
        return d;
    }

    /**
     * What O_DIRECT positions, lengths and memory must be multiples of: the JDK checks them against
     * the file system's block size, so at least that; 0 when that is unknown or unusable.
     */
    private static int alignment(Path disk) {
        try {
            long block = Files.getFileStore(disk).getBlockSize();
            return block <= MIN_ALIGN ? MIN_ALIGN : Long.bitCount(block) == 1 && block <= (1 << 20) ? (int) block : 0;
        } catch (IOException | UnsupportedOperationException e) {
            return 0;
        }
    }

    /** True when the storage took O_DIRECT: aligned writes and all reads bypass the page cache. */
    boolean direct() {
        return direct != null;
    }

    /** Writes {@code length} bytes of {@code data} at byte {@code at} of the disk. */
    void write(byte[] data, int length, long at) throws IOException {
        int aligned = direct != null && at % align == 0 ? length / align * align : 0;
        if (aligned > 0) {
            ByteBuffer b = staging(aligned);
            b.put(data, 0, aligned).flip();
            while (b.hasRemaining()) {
                direct.write(b, at + b.position());
            }
        }
        if (aligned < length) {
            ByteBuffer rest = ByteBuffer.wrap(data, aligned, length - aligned);
            while (rest.hasRemaining()) {
                buffered().write(rest, at + rest.position());
            }
        }
    }

    /** Reads exactly {@code length} bytes at byte {@code at} into {@code buf}; fails if the disk ends first. */
    void read(long at, byte[] buf, int length) throws IOException {
        if (direct == null) {
            ByteBuffer b = ByteBuffer.wrap(buf, 0, length);
            readFully(buffered(), b, at, length, 1);
            return;
        }
        long from = Math.floorDiv(at, align) * align;
        int skip = (int) (at - from);
        ByteBuffer b = staging((skip + length + align - 1) / align * align);
        // the aligned span may reach past the disk's end; only the bytes asked for must be there
        readFully(direct, b, from, skip + length, align);
        b.flip().position(skip);
        b.get(buf, 0, length);
    }

    /**
     * Waits until everything written is on the medium: an fsync flushes the page cache's part and the
     * device's write cache. One fsync covers both channels, they are the same file (one inode).
     */
    void force() throws IOException {
        (direct != null ? direct : buffered()).force(true);
    }

    @Override
    public void close() throws IOException {
        try {
            if (direct != null) {
                direct.close();
            }
        } finally {
            synchronized (this) {
                if (buffered != null) {
                    buffered.close();
                }
            }
        }
    }

    private synchronized FileChannel buffered() throws IOException {
        if (buffered == null) {
            buffered = FileChannel.open(disk, mode);
        }
        return buffered;
    }

    /** The aligned buffer, cleared, with its limit at {@code bytes} (a multiple of the alignment). */
    private ByteBuffer staging(int bytes) {
        if (staging.capacity() < bytes) {
            staging = ByteBuffer.allocateDirect(bytes + align).alignedSlice(align);
        }
        return staging.clear().limit(bytes);
    }

    /**
     * Reads until {@code need} bytes are in {@code b} (it may ask for more), or fails naming where the
     * disk ended. A direct read comes back short only at the disk's end, and cannot go on from an
     * unaligned position.
     */
    private static void readFully(FileChannel ch, ByteBuffer b, long at, int need, int align) throws IOException {
        while (b.position() < need) {
            if (b.position() % align != 0 || ch.read(b, at + b.position()) < 0) {
                throw new IOException("disk ends inside the slot at byte " + (at + b.position()));
            }
        }
    }
}
