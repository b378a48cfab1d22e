package io.fleetkit.formats.bmap;

import io.fleetkit.formats.disk.ByteRange;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Turns the byte ranges writers report into block ranges: each byte range covers the blocks
 * it touches, and touching block ranges merge. Java cannot ask the file system for holes
 * (SEEK_DATA), so the writers' own record of what they wrote is the source of truth;
 * optionally blocks that turned out all zero are dropped.
 */
public final class BlockMapBuilder {

    public static final int DEFAULT_BLOCK_SIZE = 4096;
    private final int blockSize;
    private final List<ByteRange> ranges = new ArrayList<>();

    public BlockMapBuilder() {
        this(DEFAULT_BLOCK_SIZE);
    }

    public BlockMapBuilder(int blockSize) {
        this.blockSize = blockSize;
    }

    public BlockMapBuilder add(ByteRange range) {
        ranges.add(range);
        return this;
    }

    public BlockMapBuilder addAll(Collection<ByteRange> more) {
        ranges.addAll(more);
        return this;
    }

    /** Merged block ranges covering every byte added. */
    public List<BlockRange> build() {
        List<BlockRange> out = new ArrayList<>();
        for (ByteRange r : ByteRange.merge(ranges)) {
            long first = r.offset() / blockSize;
            long last = (r.end() - 1) / blockSize;
            if (!out.isEmpty() && out.get(out.size() - 1).last() >= first - 1) {
                BlockRange prev = out.remove(out.size() - 1);
                out.add(new BlockRange(prev.first(), Math.max(prev.last(), last)));
            } else {
                out.add(new BlockRange(first, last));
            }
        }
        return out;
    }

    /** Like {@link #build()}, then drops blocks of {@code image} that hold only zeros. */
    public List<BlockRange> buildWithoutZeroBlocks(Path image) throws IOException {
        List<BlockRange> out = new ArrayList<>();
        ByteBuffer block = ByteBuffer.allocate(blockSize);
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ)) {
            for (BlockRange r : build()) {
                long runStart = -1;
                for (long b = r.first(); b <= r.last(); b++) {
                    boolean zero = isZero(ch, b, block);
                    if (!zero && runStart < 0) {
                        runStart = b;
                    } else if (zero && runStart >= 0) {
                        out.add(new BlockRange(runStart, b - 1));
                        runStart = -1;
                    }
                }
                if (runStart >= 0) {
                    out.add(new BlockRange(runStart, r.last()));
                }
            }
        }
        return out;
    }

    private boolean isZero(FileChannel ch, long blockIndex, ByteBuffer block) throws IOException {
        block.clear();
        long pos = blockIndex * blockSize;
        while (block.hasRemaining()) {
            int n = ch.read(block, pos + block.position());
            if (n < 0) {
                break;
            }
        }
        byte[] a = block.array();
        for (int i = 0; i < block.position(); i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
