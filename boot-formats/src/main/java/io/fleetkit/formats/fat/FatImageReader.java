package io.fleetkit.formats.fat;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.formats.disk.ByteRange;
import io.fleetkit.formats.disk.DiskRegion;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Lists and reads files of a FAT12/16/32 volume inside a channel at an offset (a whole disk image
 * or device with the partition's offset, or a bare volume at 0), without mounting. Names match
 * without case, long or short. Reads only what a call needs: the boot sector, the directories on
 * the path, the part of the FAT a chain crosses and the file's clusters.
 */
public final class FatImageReader implements Closeable {

    /** A directory entry with the positions (volume-relative) of all its 32-byte slots. */
    record RawEntry(FatFileInfo info, byte[] shortName, long[] slotOffsets) {
    }

    /** The FAT specification's limit: a directory holds at most 65536 entries. */
    private static final long MAX_DIRECTORY_BYTES = 65536L * DirectoryRecords.SIZE;

    private final SeekableByteChannel owned;
    private final DiskRegion volume;
    private final FatBootSector.Parsed boot;
    private final ClusterLinks links;

    public FatImageReader(Path image) throws IOException {
        this(FileChannel.open(image, StandardOpenOption.READ), 0, true);
    }

    public FatImageReader(SeekableByteChannel ch, long offset) throws IOException {
        this(ch, offset, false);
    }

    private FatImageReader(SeekableByteChannel ch, long offset, boolean owned) throws IOException {
        this.owned = owned ? ch : null;
        this.volume = new DiskRegion(ch, offset);
        try {
            this.boot = FatBootSector.parse(volume.read(0, FatGeometry.SECTOR), "volume at byte " + offset);
        } catch (IOException | RuntimeException e) {
            if (owned) {
                ch.close();
            }
            throw e;
        }
        this.links = new FatOnVolume(volume, boot.geometry(), boot.fatBits());
    }

    private FatImageReader(FatImageReader from, ClusterLinks links) {
        this.owned = null;
        this.volume = from.volume;
        this.boot = from.boot;
        this.links = links;
    }

    /** The layout; a FAT12 volume has FAT16's (a fixed root directory) and says FAT16 here, see {@link #fatBits()}. */
    public FatGeometry geometry() {
        return boot.geometry();
    }

    /** 12, 16 or 32: the width of the volume's allocation table entries. */
    public int fatBits() {
        return boot.fatBits();
    }

    public String label() {
        return boot.label();
    }

    public int volumeId() {
        return boot.volumeId();
    }

    /** Free clusters counted in the FAT itself (FSInfo is only a hint). */
    public long freeClusters() throws IOException {
        long free = 0;
        for (long c = 2; c < geometry().clusterCount() + 2; c++) {
            free += links.next(c) == 0 ? 1 : 0;
        }
        return free;
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
        return read(find(path).filter(i -> !i.directory()).orElseThrow(() -> new FleetkitException(
                "image.fat-no-file", "no file '" + path + "' on the FAT volume", null)));
    }

    byte[] read(FatFileInfo file) throws IOException {
        if (file.size() > Integer.MAX_VALUE - 16) {
            throw new IOException("'" + file.path() + "' is too large to read into memory: " + file.size());
        }
        byte[] data = new byte[(int) file.size()];
        int at = 0;
        for (ByteRange r : dataRanges(file)) {
            volume.read(r.offset(), data, at, (int) r.length());
            at += (int) r.length();
        }
        return data;
    }

    /** Where a file's bytes lie, volume-relative and in file order, touching clusters joined into one range. */
    List<ByteRange> dataRanges(FatFileInfo file) throws IOException {
        FatGeometry g = geometry();
        List<ByteRange> out = new ArrayList<>();
        long left = file.size();
        for (long c : chain(file.firstCluster(), (left + g.clusterBytes() - 1) / g.clusterBytes())) {
            long length = Math.min(left, g.clusterBytes());
            ByteRange last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && last.end() == g.clusterOffset(c)) {
                out.set(out.size() - 1, new ByteRange(last.offset(), last.length() + length));
            } else {
                out.add(new ByteRange(g.clusterOffset(c), length));
            }
            left -= length;
        }
        if (left > 0) {
            throw new FleetkitException("image.fat-corrupt", "'" + file.path() + "' has a cluster chain shorter than its "
                    + file.size() + " bytes", "run fsck.fat on the volume");
        }
        return out;
    }

    /** This reader following chains through {@code table}, a copy of the FAT being changed in memory. */
    FatImageReader following(FatTable table) {
        return new FatImageReader(this, table);
    }

    /** The first FAT, whole, for a patch (FAT16 and FAT32 only). */
    FatTable loadTable() throws IOException {
        FatGeometry g = geometry();
        return FatTable.parse(g.type(), g.clusterCount(), volume.read(g.fatOffset(0),
                (int) Math.min(g.fatSectors() * FatGeometry.SECTOR, (g.clusterCount() + 2) * g.type().entryBytes)));
    }

    Optional<RawEntry> findRaw(String path) throws IOException {
        List<String> parts = parts(path);
        long dir = rootCluster();
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

    /** The first cluster of a directory; 0 means the fixed root of FAT12/16. */
    long directoryCluster(String dirPath) throws IOException {
        if (parts(dirPath).isEmpty()) {
            return rootCluster();
        }
        RawEntry e = findRaw(dirPath).filter(r -> r.info().directory()).orElseThrow(() -> new FleetkitException(
                "image.fat-no-dir", "no directory '" + dirPath + "' on the FAT volume", null));
        return e.info().firstCluster();
    }

    private long rootCluster() {
        return geometry().type() == FatType.FAT32 ? boot.rootCluster() : 0;
    }

    /** Volume-relative offsets of every slot of a directory, in order. */
    long[] slotOffsets(long dirCluster) throws IOException {
        FatGeometry g = geometry();
        if (dirCluster == 0) {
            long[] out = new long[g.rootEntries()];
            for (int i = 0; i < out.length; i++) {
                out[i] = g.rootDirOffset() + 32L * i;
            }
            return out;
        }
        long most = MAX_DIRECTORY_BYTES / g.clusterBytes();
        List<Long> clusters = chain(dirCluster, most + 1);
        if (clusters.size() > most) {
            throw new FleetkitException("image.fat-corrupt", "the directory at cluster " + dirCluster
                    + " is longer than 65536 entries", "run fsck.fat on the volume");
        }
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
        DirectoryScanner scanner = new DirectoryScanner(fatBits() == 32);
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

    List<Long> chain(long first) throws IOException {
        return chain(first, Long.MAX_VALUE);
    }

    /** The first {@code most} clusters of the chain from {@code first}; a chain that leaves the volume or loops is corrupt. */
    List<Long> chain(long first, long most) throws IOException {
        FatGeometry g = geometry();
        long end = fatBits() == 12 ? 0xFF8 : fatBits() == 16 ? 0xFFF8 : 0x0FFFFFF8L;
        List<Long> out = new ArrayList<>();
        long c = first;
        while (c >= 2 && c < end && out.size() < most) {
            if (c >= g.clusterCount() + 2 || out.size() > g.clusterCount()) {
                throw new FleetkitException("image.fat-corrupt", "the cluster chain from " + first
                        + " leaves the volume or loops at cluster " + c, "run fsck.fat on the volume");
            }
            out.add(c);
            c = links.next(c);
        }
        return out;
    }

    byte[] readBytes(long volumeOffset, int length) throws IOException {
        return volume.read(volumeOffset, length);
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
        if (owned != null) {
            owned.close();
        }
    }
}
