package io.fleetkit.flash;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.formats.mbr.MbrPartition;
import io.fleetkit.formats.mbr.MbrReader;
import io.fleetkit.formats.mbr.PartitionTable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.tukaani.xz.SeekableInputStream;

/**
 * One pass over the decompressed image: skips what the plan does not map, checks each mapped
 * range against the bmap's checksum, and hands the bytes on as chunks. A range of at most
 * {@code holdLimit} bytes is checked before any of it is handed on, so a corrupted source never
 * reaches the target; a longer range is handed on as it streams and a mismatch ends the pass
 * before the first MiB is written, so the card has no partition table and cannot boot. The first
 * MiB and, when asked, the boot partition are kept back ({@link Held}) for the caller to write last.
 */
public final class SourceReader {

    public static final int CHUNK = 4 << 20;
    public static final long HEAD = 1 << 20;
    public static final long DEFAULT_HOLD_LIMIT = 64L << 20;
    private static final Set<Integer> FAT_TYPES = Set.of(0x01, 0x04, 0x06, 0x0b, 0x0c, 0x0e, 0xef);

    private final String sourceName;
    private final long holdLimit;
    private final byte[] scratch = new byte[1 << 20];
    private HeldRegion head;
    private HeldRegion boot;
    private long position;

    /** What the pass kept back: the first MiB and the boot partition (null unless asked for). */
    public record Held(HeldRegion head, HeldRegion boot, long bytesRead) {
    }

    public SourceReader(String sourceName, long holdLimit) {
        this.sourceName = sourceName;
        this.holdLimit = holdLimit;
    }

    public Held read(InputStream in, FlashPlan plan, boolean holdBoot, ChunkConsumer out) throws IOException {
        head = new HeldRegion(0, HEAD);
        boot = null;
        position = 0;
        if (plan.wholeImage()) {
            readWhole(in, plan.imageSize(), holdBoot, out);
        } else {
            for (PlannedRange r : plan.ranges()) {
                readRange(in, r, plan.checksumType(), holdBoot, out);
            }
        }
        if (holdBoot && boot == null) {
            throw noBootPartition("the image maps nothing at byte 0");
        }
        return new Held(head, boot, position);
    }

    private void readRange(InputStream in, PlannedRange r, String checksumType, boolean holdBoot, ChunkConsumer out)
            throws IOException {
        skip(in, r.offset() - position, r);
        MessageDigest md = r.checksum() == null ? null : Digests.forBmapType(checksumType);
        boolean checkFirst = r.length() <= holdLimit;
        List<Chunk> pending = new ArrayList<>();
        ChunkConsumer route = checkFirst ? pending::add : out;
        while (position < r.end()) {
            int n = (int) Math.min(CHUNK - position % CHUNK, r.end() - position);
            byte[] buf = new byte[n];
            fill(in, buf, n, r);
            if (md != null) {
                md.update(buf, 0, n);
            }
            if (position == 0 && holdBoot) {
                locateBoot(buf, n);
            }
            split(position, buf, n, route);
            position += n;
        }
        if (md != null) {
            String actual = Digests.hex(md.digest());
            if (!actual.equalsIgnoreCase(r.checksum())) {
                throw new FleetkitException("flash.source-digest", sourceName + ": bytes " + r.offset() + "-" + r.end()
                        + " of the image have " + checksumType + " " + actual + " but the bmap says " + r.checksum()
                        + (checkFirst ? "; nothing of that range was written" : "; the partition table was not written"),
                        "the image or its bmap is damaged or they do not belong together; download or build the image again");
            }
        }
        for (Chunk c : pending) {
            out.accept(c);
        }
    }

    private void readWhole(InputStream in, long imageSize, boolean holdBoot, ChunkConsumer out) throws IOException {
        while (true) {
            byte[] buf = new byte[CHUNK];
            int n = read(in, buf, CHUNK);
            if (n == 0) {
                break;
            }
            if (position == 0 && holdBoot) {
                locateBoot(buf, n);
            }
            split(position, buf, n, out);
            position += n;
        }
        if (imageSize >= 0 && position != imageSize) {
            throw truncated("the image ended at byte " + position + " of " + imageSize);
        }
    }

    /** Sends the bytes outside held regions on; bytes inside them are kept. */
    private void split(long offset, byte[] buf, int n, ChunkConsumer out) throws IOException {
        int from = 0;
        while (from < n) {
            long at = offset + from;
            HeldRegion region = at < head.end() ? head : boot != null && at >= boot.start() && at < boot.end() ? boot : null;
            long limit = region != null ? region.end()
                    : boot != null && at < boot.start() ? boot.start() : Long.MAX_VALUE;
            int len = (int) Math.min(n - from, limit - at);
            if (region != null) {
                region.put(at, ByteBuffer.wrap(buf, from, len));
            } else {
                out.accept(Chunk.of(at, buf, from, len));
            }
            from += len;
        }
    }

    private void locateBoot(byte[] buf, int n) {
        if (n < PartitionTable.SECTOR) {
            throw noBootPartition("the image is shorter than one sector");
        }
        PartitionTable table = MbrReader.parse(Arrays.copyOf(buf, PartitionTable.SECTOR));
        MbrPartition p1 = table.partitions().stream().filter(p -> FAT_TYPES.contains(p.type())).findFirst()
                .orElseThrow(() -> noBootPartition("its partition table has no FAT partition"));
        boot = new HeldRegion(p1.startByte(), p1.startByte() + p1.sizeBytes());
        if (boot.start() < HEAD) {
            head = new HeldRegion(0, boot.start());
        }
    }

    private void skip(InputStream in, long n, PlannedRange r) throws IOException {
        if (n > 0 && in instanceof SeekableInputStream seekable) {
            try {
                seekable.seek(position + n);
            } catch (IOException e) {
                throw new FleetkitException("flash.source-unreadable", sourceName + ": cannot seek to byte " + (position + n)
                        + ": " + e, "the file is damaged; fetch it again", e);
            }
            position += n;
            return;
        }
        while (n > 0) {
            int want = (int) Math.min(scratch.length, n);
            int got = read(in, scratch, want);
            if (got < want) {
                throw truncated("the image ended at byte " + (position + got) + ", before mapped bytes "
                        + r.offset() + "-" + r.end());
            }
            position += got;
            n -= got;
        }
    }

    private void fill(InputStream in, byte[] buf, int n, PlannedRange r) throws IOException {
        int got = read(in, buf, n);
        if (got < n) {
            throw truncated("the image ended at byte " + (position + got) + ", inside mapped bytes "
                    + r.offset() + "-" + r.end());
        }
    }

    /** Reads up to {@code n} bytes; fewer only at the end of the stream. Decoder errors name the offset. */
    private int read(InputStream in, byte[] buf, int n) throws IOException {
        try {
            return in.readNBytes(buf, 0, n);
        } catch (java.io.EOFException e) {
            throw truncated("the compressed stream ended early near decompressed byte " + position + " (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new FleetkitException("flash.source-unreadable", sourceName + ": cannot be read near decompressed byte "
                    + position + ": " + e, "the download or file is damaged; fetch it again", e);
        }
    }

    private FleetkitException truncated(String why) {
        return new FleetkitException("flash.source-truncated", sourceName + " is truncated: " + why
                + "; the partition table was not written", "the file is incomplete; download or copy it again");
    }

    private FleetkitException noBootPartition(String why) {
        return new FleetkitException("flash.no-boot-partition", sourceName + ": cannot customise the boot partition: " + why,
                "flash without --hostname/--identity/--server/--wifi-*/--set, or use an image made by fleet build");
    }
}
