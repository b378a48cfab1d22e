package io.fleetkit.formats.disk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of a disk image or device from {@code start} on: a partition, or a bare volume at 0.
 * Reads and writes take offsets relative to the start, move whole buffers (a block device may
 * return short reads) and load nothing beyond what they are asked for, so the same FAT code
 * serves an image file on the build machine and a raw device under the agent, which never mounts.
 * Writes are remembered as absolute ranges, for the bmap and for patch reports.
 */
public final class DiskRegion {

    private final SeekableByteChannel ch;
    private final long start;
    private final List<ByteRange> written = new ArrayList<>();

    public DiskRegion(SeekableByteChannel ch, long start) {
        this.ch = ch;
        this.start = start;
    }

    public long start() {
        return start;
    }

    public byte[] read(long offset, int length) throws IOException {
        byte[] out = new byte[length];
        read(offset, out, 0, length);
        return out;
    }

    /** Fills {@code dst[from, from + length)}; fails when the channel ends first. */
    public void read(long offset, byte[] dst, int from, int length) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(dst, from, length);
        ch.position(start + offset);
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new IOException("the disk ends at byte " + (start + offset + b.position() - from)
                        + ", inside the region that starts at byte " + start);
            }
        }
    }

    public void write(long offset, byte[] data) throws IOException {
        write(offset, data, 0, data.length);
    }

    public void write(long offset, byte[] data, int from, int length) throws IOException {
        if (length == 0) {
            return;
        }
        ByteBuffer b = ByteBuffer.wrap(data, from, length);
        ch.position(start + offset);
        while (b.hasRemaining()) {
            ch.write(b);
        }
        written.add(new ByteRange(start + offset, length));
    }

    /** The absolute ranges written so far, in the order written. */
    public List<ByteRange> written() {
        return List.copyOf(written);
    }
}
