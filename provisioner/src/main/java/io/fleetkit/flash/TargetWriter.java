package io.fleetkit.flash;

import io.fleetkit.events.Event;
import io.fleetkit.events.EventSink;
import io.fleetkit.events.FleetkitException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes chunks to one target at their offsets and remembers what it wrote. Block devices get
 * an fdatasync every {@link #SYNC_EVERY} bytes, so dirty pages never pile up and the final
 * sync does not stall for minutes; every target gets a full fsync at the end.
 *
 * <p>The target is locked with {@link FileChannel#tryLock()}: an advisory POSIX lock, which
 * stops a second fleet flash or station (and any flock/fcntl-aware tool) from writing the same
 * target at once, but not dd or cat; {@link TargetSafety} also looks for other processes holding
 * the device open. Java cannot open with O_EXCL on a block device.
 */
public final class TargetWriter implements ChunkConsumer, Closeable {

    public static final long SYNC_EVERY = 64L << 20;

    private final Path path;
    private final boolean blockDevice;
    private final FileChannel ch;
    private final FileLock lock;
    private final WriteInterceptor interceptor;
    private final EventSink sink;
    private final String task;
    private final long total;
    private final long imageSize;
    private final List<WrittenRange> written = new ArrayList<>();
    private long bytes;
    private long sinceSync;

    private TargetWriter(Path path, boolean blockDevice, FileChannel ch, FileLock lock, WriteInterceptor interceptor,
                         EventSink sink, String task, long total, long imageSize) {
        this.path = path;
        this.blockDevice = blockDevice;
        this.ch = ch;
        this.lock = lock;
        this.interceptor = interceptor;
        this.sink = sink;
        this.task = task;
        this.total = total;
        this.imageSize = imageSize;
    }

    /** Opens (a file target is created if missing) and locks the target; refuses one locked by another writer. */
    public static TargetWriter open(Path target, boolean blockDevice, WriteInterceptor interceptor, EventSink sink,
                                    String task, long totalBytes, long imageSize) throws IOException {
        FileChannel ch = blockDevice
                ? FileChannel.open(target, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(target, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            ch.close();
            throw new FleetkitException("flash.target-busy", target + " is locked by another writer (another fleet flash or station)",
                    "wait for it to finish, or stop it; two writers on one card leave it corrupt");
        }
        return new TargetWriter(target, blockDevice, ch, lock, interceptor, sink, task, totalBytes, imageSize);
    }

    public Path path() {
        return path;
    }

    /**
     * Zeroes sector 0 before anything else is written, so that until the new partition table
     * goes in last, the target has none: a card pulled out half-way never boots a mix of old
     * partitions and new bytes. Sector 0 belongs to the image's first MiB, written at the end.
     */
    public void clearPartitionTable() throws IOException {
        if (ch.size() >= 512) {
            writeFully(ByteBuffer.allocate(512), 0);
            ch.force(false);
        }
    }

    @Override
    public void accept(Chunk chunk) throws IOException {
        interceptor.beforeWrite(path, chunk.offset(), chunk.length());
        writeFully(chunk.data().duplicate(), chunk.offset());
        written.add(chunk.written());
        bytes += chunk.length();
        sinceSync += chunk.length();
        if (blockDevice && sinceSync >= SYNC_EVERY) {
            ch.force(false);
            sinceSync = 0;
        }
        sink.progress(task, bytes, total, Event.Unit.BYTES);
    }

    /** Extends a file target to the image size (without writing into it) and syncs everything. */
    @Override
    public void finish() throws IOException {
        if (!blockDevice && imageSize > 0 && ch.size() < imageSize) {
            writeFully(ByteBuffer.allocate(1), imageSize - 1);
        }
        ch.force(true);
    }

    public long bytesWritten() {
        return bytes;
    }

    public List<WrittenRange> written() {
        return List.copyOf(written);
    }

    private void writeFully(ByteBuffer b, long at) throws IOException {
        long pos = at;
        while (b.hasRemaining()) {
            pos += ch.write(b, pos);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } finally {
            ch.close();
        }
    }
}
