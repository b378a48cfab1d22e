package io.fleetkit.flash;

import com.sun.nio.file.ExtendedOpenOption;
import io.fleetkit.events.Event;
import io.fleetkit.events.EventSink;
import io.fleetkit.events.FleetkitException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads every written range back from the target and compares its SHA-256 with what was
 * written. The target is opened with O_DIRECT, so the bytes come from the medium rather than
 * the page cache (for a file on ext4/xfs this too reads the disk, after the kernel writes back
 * any dirty pages of the range). Where O_DIRECT is refused (tmpfs, some FUSE file systems) it
 * reads through the page cache and says so in {@link VerifyResult#direct()}: then the check
 * proves what the file system returns, not what the medium holds.
 */
public final class TargetVerifier {

    private static final int ALIGN = 4096;
    private static final int BUFFER = 4 << 20;
    private static final int PARALLEL_READS = 4;

    private final EventSink sink;
    private final String task;

    public TargetVerifier(EventSink sink, String task) {
        this.sink = sink;
        this.task = task;
    }

    public VerifyResult verify(Path target, List<WrittenRange> ranges) throws IOException {
        long total = ranges.stream().mapToLong(WrittenRange::length).sum();
        boolean direct = true;
        FileChannel ch;
        try {
            ch = FileChannel.open(target, StandardOpenOption.READ, ExtendedOpenOption.DIRECT);
        } catch (IOException | UnsupportedOperationException e) {
            direct = false;
            sink.warn(task, target + " refuses O_DIRECT (" + e.getMessage() + "); verifying through the page cache");
            ch = FileChannel.open(target, StandardOpenOption.READ);
        }
        long started = System.nanoTime();
        AtomicLong done = new AtomicLong();
        boolean aligned = direct;
        // Several reads in flight: a card reader or disk answers a queue of reads far faster than one at a time.
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_READS);
        ThreadLocal<ByteBuffer> buffers = ThreadLocal.withInitial(() -> aligned
                ? ByteBuffer.allocateDirect(BUFFER + 2 * ALIGN).alignedSlice(ALIGN) : ByteBuffer.allocateDirect(BUFFER + 2 * ALIGN));
        try (FileChannel c = ch) {
            List<Future<?>> checks = new ArrayList<>();
            for (WrittenRange r : ranges) {
                checks.add(pool.submit(() -> {
                    check(c, buffers.get(), aligned, target, r);
                    sink.progress(task, done.addAndGet(r.length()), total, Event.Unit.BYTES);
                    return null;
                }));
            }
            for (Future<?> f : checks) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while verifying " + target);
        } catch (ExecutionException e) {
            Flasher.rethrow(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return new VerifyResult(direct, done.get(), System.nanoTime() - started);
    }

    private static void check(FileChannel c, ByteBuffer buf, boolean direct, Path target, WrittenRange r) throws IOException {
        MessageDigest md = Digests.create("SHA-256");
        long pos = r.offset();
        while (pos < r.end()) {
            long from = direct ? Math.floorDiv(pos, ALIGN) * ALIGN : pos;
            int skip = (int) (pos - from);
            int want = (int) Math.min(BUFFER - skip, r.end() - pos);
            int span = direct ? (int) ((skip + want + ALIGN - 1) / ALIGN * ALIGN) : want;
            buf.clear().limit(span);
            int got = readFully(c, buf, from);
            if (got < skip + want) {
                throw mismatch(target, r, "the target ends at byte " + (from + got));
            }
            buf.flip().position(skip).limit(skip + want);
            md.update(buf);
            pos += want;
        }
        byte[] actual = md.digest();
        if (!Arrays.equals(actual, r.sha256())) {
            throw mismatch(target, r, "they read back with SHA-256 " + Digests.hex(actual)
                    + " but " + r.sha256Hex() + " was written");
        }
    }

    private static int readFully(FileChannel c, ByteBuffer buf, long at) throws IOException {
        int got = 0;
        while (buf.hasRemaining()) {
            int n = c.read(buf, at + got);
            if (n < 0) {
                break;
            }
            got += n;
        }
        return got;
    }

    private static FleetkitException mismatch(Path target, WrittenRange r, String why) {
        return new FleetkitException("flash.verify-mismatch", target + ": bytes at offset " + r.offset() + " (0x"
                + Long.toHexString(r.offset()) + ") to " + r.end() + " differ from what was written: " + why,
                "the card or reader is failing, or something else wrote to it; try another card or reader");
    }
}
