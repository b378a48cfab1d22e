package io.fleetkit.image.fat;

import io.fleetkit.events.FleetkitException;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Lists and reads files of a FAT16/FAT32 volume inside a channel at an offset (a whole disk
 * image with the partition's offset, or a bare volume at 0). Names match without case.
 */
public final class FatImageReader implements Closeable {

    /** A directory entry with the positions (volume-relative) of all its 32-byte slots. */
    record RawEntry(FatFileInfo info, byte[] shortName, long[] slotOffsets) {
    }

    private final SeekableByteChannel ch;
    private final long base;
    private final boolean owned;
    private final FatBootSector.Parsed boot;
    final FatTable fat;

    public FatImageReader(Path image) throws IOException {
        this(FileChannel.open(image, StandardOpenOption.READ), 0, true);
    }

    public FatImageReader(SeekableByteChannel ch, long offset) throws IOException {
        this(ch, offset, false);
    }

    private FatImageReader(SeekableByteChannel ch, long offset, boolean owned) throws IOException {
        this.ch = ch;
        this.base = offset;
        this.owned = owned;
        this.boot = FatBootSector.parse(readBytes(0, FatGeometry.SECTOR), "volume at byte " + offset);
        FatGeometry g = boot.geometry();
        this.fat = FatTable.parse(g.type(), g.clusterCount(),
                readBytes(g.fatOffset(0), (int) Math.min(g.fatSectors() * FatGeometry.SECTOR,
                        (g.clusterCount() + 2) * g.type().entryBytes)));
    }

    public FatGeometry geometry() {
        return boot.geometry();
    }

    public String label() {
        return boot.label();
    }

    public int volumeId() {
        return boot.volumeId();
    }

    /** Free clusters counted in the FAT itself (FSInfo is only a hint). */
    public long freeClusters() {
        return fat.freeCount();
    }

    /** The entries of a directory ("/" for the root), in on-disk order. */
    public List<FatFileInfo> list(String dirPath) throws IOException {
        List<FatFileInfo> out = new ArrayList<>();
        for (RawEntry e : rawEntries(directoryCluster(dirPath), normalize(dirPath))) {
            out.add(e.info());
        }
        return out;
    }

    public Optional<FatFileInfo> find(String path) throws IOException {
        return findRaw(path).map(RawEntry::info);
    }

    public byte[] read(String path) throws IOException {
        FatFileInfo info = find(path).filter(i -> !i.directory()).orElseThrow(() -> new FleetkitException(
                "image.fat-no-file", "no file '" + path + "' on the FAT volume", null));
        if (info.size() > Integer.MAX_VALUE - 16) {
            throw new IOException("'" + path + "' is too large to read into memory: " + info.size());
        }
        byte[] data = new byte[(int) info.size()];
        int cb = geometry().clusterBytes();
        int at = 0;
        for (long c : chain(info.firstCluster())) {
            if (at >= data.length) {
                break;
            }
            byte[] part = readBytes(geometry().clusterOffset(c), Math.min(cb, data.length - at));
            System.arraycopy(part, 0, data, at, part.length);
            at += part.length;
        }
        if (at < data.length) {
            throw new FleetkitException("image.fat-corrupt", "'" + path + "' has a cluster chain shorter than its "
                    + info.size() + " bytes", "run fsck.fat on the image");
        }
        return data;
    }

    Optional<RawEntry> findRaw(String path) throws IOException {
        List<String> parts = parts(path);
        long dir = geometry().type() == FatType.FAT32 ? boot.rootCluster() : 0;
        String prefix = "/";
        RawEntry found = null;
        for (int i = 0; i < parts.size(); i++) {
            found = null;
            for (RawEntry e : rawEntries(dir, prefix)) {
                if (e.info().name().equalsIgnoreCase(parts.get(i)) || e.info().shortName().equalsIgnoreCase(parts.get(i))) {
                    found = e;
                    break;
                }
            }
            if (found == null || (i < parts.size() - 1 && !found.info().directory())) {
                return Optional.empty();
            }
            dir = found.info().firstCluster();
            prefix = prefix + found.info().name() + "/";
        }
        return Optional.ofNullable(found);
    }

    /** The first cluster of a directory; 0 means the FAT16 fixed root. */
    long directoryCluster(String dirPath) throws IOException {
        if (parts(dirPath).isEmpty()) {
            return geometry().type() == FatType.FAT32 ? boot.rootCluster() : 0;
        }
        RawEntry e = findRaw(dirPath).filter(r -> r.info().directory()).orElseThrow(() -> new FleetkitException(
                "image.fat-no-dir", "no directory '" + dirPath + "' on the FAT volume", null));
        return e.info().firstCluster();
    }

    /** Volume-relative offsets of every slot of a directory, in order. */
    long[] slotOffsets(long dirCluster) {
        FatGeometry g = geometry();
        if (dirCluster == 0) {
            long[] out = new long[g.rootEntries()];
            for (int i = 0; i < out.length; i++) {
                out[i] = g.rootDirOffset() + 32L * i;
            }
            return out;
        }
        List<Long> clusters = chain(dirCluster);
        int per = g.clusterBytes() / 32;
        long[] out = new long[clusters.size() * per];
        for (int c = 0; c < clusters.size(); c++) {
            for (int i = 0; i < per; i++) {
                out[c * per + i] = g.clusterOffset(clusters.get(c)) + 32L * i;
            }
        }
        return out;
    }

    List<RawEntry> rawEntries(long dirCluster, String prefix) throws IOException {
        long[] slots = slotOffsets(dirCluster);
        List<RawEntry> out = new ArrayList<>();
        DirectoryScanner scanner = new DirectoryScanner();
        for (int i = 0; i < slots.length; i++) {
            byte[] slot = readBytes(slots[i], 32);
            if (slot[0] == 0) {
                break;
            }
            RawEntry e = scanner.accept(slot, i, slots, prefix);
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    List<Long> chain(long first) {
        List<Long> out = new ArrayList<>();
        long c = first;
        while (c >= 2 && c < fat.clusterLimit()) {
            if (out.size() > geometry().clusterCount()) {
                throw new FleetkitException("image.fat-corrupt", "cluster chain from " + first + " loops",
                        "run fsck.fat on the image");
            }
            out.add(c);
            int next = fat.get(c);
            if (fat.isEnd(next) || next == 0) {
                break;
            }
            c = next;
        }
        return out;
    }

    byte[] readBytes(long volumeOffset, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        ch.position(base + volumeOffset);
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new IOException("FAT volume ends early at byte " + (base + volumeOffset + b.position()));
            }
        }
        return b.array();
    }

    static List<String> parts(String path) {
        List<String> out = new ArrayList<>();
        for (String p : path.split("/")) {
            if (!p.isEmpty()) {
                out.add(p);
            }
        }
        return out;
    }

    private static String normalize(String dir) {
        String joined = String.join("/", parts(dir));
        return joined.isEmpty() ? "/" : "/" + joined + "/";
    }

    @Override
    public void close() throws IOException {
        if (owned) {
            ch.close();
        }
    }
}
