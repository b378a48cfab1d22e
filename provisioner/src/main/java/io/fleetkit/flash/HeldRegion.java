package io.fleetkit.flash;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Part of the image kept in memory until the end of the pass: the first MiB (so the partition
 * table is written last) and, when a device is customised, the boot partition (patched per
 * device before it is written). Only what the image maps is covered; reads elsewhere see
 * zeros. As a {@link SeekableByteChannel} it lets the FAT patcher work on it in place, and
 * whatever it writes becomes covered too. Pages that are all zero are not stored.
 */
public final class HeldRegion implements SeekableByteChannel {

    private static final int PAGE = 4096;

    private final long start;
    private final long end;
    private final TreeMap<Long, byte[]> pages = new TreeMap<>();
    private final TreeMap<Long, Long> covered = new TreeMap<>();
    private long position;

    public HeldRegion(long start, long end) {
        this.start = start;
        this.end = end;
    }

    public long start() {
        return start;
    }

    public long end() {
        return end;
    }

    public boolean isEmpty() {
        return covered.isEmpty();
    }

    /** A deep copy, so each device's customisation starts from the image's bytes. */
    public HeldRegion copy() {
        HeldRegion c = new HeldRegion(start, end);
        pages.forEach((k, v) -> c.pages.put(k, v.clone()));
        c.covered.putAll(covered);
        return c;
    }

    /** Stores {@code data} at absolute {@code offset}, which must lie in the region. */
    public void put(long offset, ByteBuffer data) {
        if (offset < start || offset + data.remaining() > end) {
            throw new IllegalArgumentException("bytes " + offset + "+" + data.remaining() + " lie outside "
                    + start + "-" + end);
        }
        cover(offset, offset + data.remaining());
        ByteBuffer src = data.duplicate();
        long at = offset;
        while (src.hasRemaining()) {
            long page = Math.floorDiv(at, PAGE) * PAGE;
            int in = (int) (at - page);
            int n = Math.min(PAGE - in, src.remaining());
            byte[] p = pages.get(page);
            if (p == null) {
                if (isZero(src, n)) {
                    src.position(src.position() + n);
                    at += n;
                    continue;
                }
                p = new byte[PAGE];
                pages.put(page, p);
            }
            src.get(p, in, n);
            at += n;
        }
    }

    /** Copies bytes at absolute {@code offset} into {@code dst} (zeros where nothing is stored). */
    public void get(long offset, byte[] dst, int from, int length) {
        long at = offset;
        int done = 0;
        while (done < length) {
            long page = Math.floorDiv(at, PAGE) * PAGE;
            int in = (int) (at - page);
            int n = Math.min(PAGE - in, length - done);
            byte[] p = pages.get(page);
            if (p == null) {
                java.util.Arrays.fill(dst, from + done, from + done + n, (byte) 0);
            } else {
                System.arraycopy(p, in, dst, from + done, n);
            }
            at += n;
            done += n;
        }
    }

    /** The covered bytes as chunks of at most {@code maxChunk} bytes, in offset order. */
    public List<Chunk> chunks(int maxChunk) {
        List<Chunk> out = new ArrayList<>();
        for (Map.Entry<Long, Long> r : covered.entrySet()) {
            for (long at = r.getKey(); at < r.getValue(); at += maxChunk) {
                int n = (int) Math.min(maxChunk, r.getValue() - at);
                byte[] b = new byte[n];
                get(at, b, 0, n);
                out.add(Chunk.of(at, b, 0, n));
            }
        }
        return out;
    }

    private void cover(long from, long to) {
        Map.Entry<Long, Long> before = covered.floorEntry(from);
        if (before != null && before.getValue() >= from) {
            from = before.getKey();
            to = Math.max(to, before.getValue());
        }
        Map.Entry<Long, Long> next = covered.ceilingEntry(from);
        while (next != null && next.getKey() <= to) {
            to = Math.max(to, next.getValue());
            covered.remove(next.getKey());
            next = covered.ceilingEntry(from);
        }
        covered.put(from, to);
    }

    private static boolean isZero(ByteBuffer b, int n) {
        int p = b.position();
        for (int i = 0; i < n; i++) {
            if (b.get(p + i) != 0) {
                return false;
            }
        }
        return true;
    }

    // SeekableByteChannel over absolute offsets (as the target's would be), for FatFilePatcher.

    @Override
    public int read(ByteBuffer dst) {
        if (position >= end) {
            return -1;
        }
        int n = (int) Math.min(dst.remaining(), end - position);
        byte[] b = new byte[n];
        get(position, b, 0, n);
        dst.put(b);
        position += n;
        return n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        if (position < start || position + src.remaining() > end) {
            throw new IOException("write of " + src.remaining() + " bytes at " + position
                    + " falls outside the boot partition " + start + "-" + end);
        }
        int n = src.remaining();
        put(position, src);
        src.position(src.limit());
        position += n;
        return n;
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) {
        position = newPosition;
        return this;
    }

    @Override
    public long size() {
        return end;
    }

    @Override
    public SeekableByteChannel truncate(long size) {
        throw new NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public void close() {
    }
}
