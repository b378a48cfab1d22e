package io.fleetkit.formats.bmap;

import io.fleetkit.events.Event;
import io.fleetkit.events.EventSink;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Writes bmaptool's block map format 2.0: SHA-256 per mapped range and a
 * {@code BmapFileChecksum} computed over the file with that field's value set to zeros.
 */
public final class BmapWriter {

    public static final String VERSION = "2.0";
    private static final String ZEROS = "0".repeat(64);
    private static final String TASK = "bmap";

    private final EventSink sink;

    public BmapWriter() {
        this(EventSink.NONE);
    }

    public BmapWriter(EventSink sink) {
        this.sink = sink;
    }

    /** Reads {@code image} over the given ranges and returns the map with their checksums. */
    public Bmap create(Path image, List<BlockRange> ranges, int blockSize) throws IOException {
        long imageSize = Files.size(image);
        long blocks = (imageSize + blockSize - 1) / blockSize;
        long mapped = ranges.stream().mapToLong(BlockRange::count).sum();
        List<BmapRange> out = new ArrayList<>();
        long done = 0;
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ)) {
            for (BlockRange r : ranges) {
                if (r.last() >= blocks) {
                    throw new IllegalArgumentException("block range " + r.first() + "-" + r.last()
                            + " lies beyond the " + blocks + " blocks of " + image);
                }
                long from = r.first() * blockSize;
                long to = Math.min(imageSize, (r.last() + 1) * blockSize);
                out.add(new BmapRange(r.first(), r.last(), sha256(ch, from, to)));
                done += to - from;
                sink.progress(TASK, done, mapped * blockSize, Event.Unit.BYTES);
            }
        }
        return new Bmap(VERSION, imageSize, blockSize, blocks, mapped, "sha256", out);
    }

    /** Creates the map with 4096-byte blocks and writes it to {@code bmapFile} atomically. */
    public Bmap write(Path image, List<BlockRange> ranges, Path bmapFile) throws IOException {
        Bmap bmap = create(image, ranges, BlockMapBuilder.DEFAULT_BLOCK_SIZE);
        Path tmp = bmapFile.resolveSibling(bmapFile.getFileName() + ".tmp");
        Files.write(tmp, toXml(bmap).getBytes(StandardCharsets.UTF_8));
        Files.move(tmp, bmapFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return bmap;
    }

    /** The bmap file text, including its own checksum. */
    public static String toXml(Bmap bmap) {
        String withZeros = render(bmap, ZEROS);
        return render(bmap, hex(digest("SHA-256").digest(withZeros.getBytes(StandardCharsets.UTF_8))));
    }

    private static String render(Bmap b, String fileChecksum) {
        StringBuilder x = new StringBuilder();
        x.append("<?xml version=\"1.0\" ?>\n");
        x.append("<!-- Block map of an image: only the listed blocks carry data and need copying. -->\n");
        x.append("<bmap version=\"").append(b.version()).append("\">\n");
        x.append("    <!-- Image size in bytes -->\n");
        x.append("    <ImageSize> ").append(b.imageSize()).append(" </ImageSize>\n\n");
        x.append("    <BlockSize> ").append(b.blockSize()).append(" </BlockSize>\n\n");
        x.append("    <BlocksCount> ").append(b.blocksCount()).append(" </BlocksCount>\n\n");
        x.append("    <MappedBlocksCount> ").append(b.mappedBlocksCount()).append(" </MappedBlocksCount>\n\n");
        x.append("    <ChecksumType> ").append(b.checksumType()).append(" </ChecksumType>\n\n");
        x.append("    <!-- sha256 of this file with this value replaced by ASCII zeros -->\n");
        x.append("    <BmapFileChecksum> ").append(fileChecksum).append(" </BmapFileChecksum>\n\n");
        x.append("    <BlockMap>\n");
        for (BmapRange r : b.ranges()) {
            x.append("        <Range chksum=\"").append(r.checksum()).append("\"> ")
                    .append(r.first() == r.last() ? String.valueOf(r.first()) : r.first() + "-" + r.last())
                    .append(" </Range>\n");
        }
        x.append("    </BlockMap>\n");
        x.append("</bmap>\n");
        return x.toString();
    }

    private static String sha256(FileChannel ch, long from, long to) throws IOException {
        MessageDigest md = digest("SHA-256");
        ByteBuffer buf = ByteBuffer.allocate(1 << 20);
        long pos = from;
        while (pos < to) {
            buf.clear().limit((int) Math.min(buf.capacity(), to - pos));
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new IOException("image ended at byte " + pos + " while hashing up to " + to);
            }
            buf.flip();
            md.update(buf);
            pos += n;
        }
        return hex(md.digest());
    }

    static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every JDK", e);
        }
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
