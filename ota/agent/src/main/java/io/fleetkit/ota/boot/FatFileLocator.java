package io.fleetkit.ota.boot;

import io.fleetkit.events.FleetkitException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds a file's data bytes inside a FAT12/16/32 file system without mounting it: boot sector,
 * root directory (fixed area or cluster chain), subdirectories, short or long names, the
 * file's cluster chain. Read-only: the agent overwrites only the data ranges this returns (see
 * {@link FatFileInPlace}), never the FAT tables or directory entries, so the file system stays
 * exactly as consistent as it was.
 */
public final class FatFileLocator {

    /** A run of file data on the disk: absolute byte offset and length. */
    public record Extent(long offset, long length) {
    }

    /** A located file: its size and where its bytes are, in file order. */
    public record FatFile(String path, long size, List<Extent> extents) {
        public FatFile {
            extents = List.copyOf(extents);
        }
    }

    private final FileChannel disk;
    private final long base;
    private final int bytesPerSector;
    private final int clusterSize;
    private final long fatOffset;
    private final long rootOffset;
    private final int rootEntries;
    private final long rootCluster;
    private final long dataOffset;
    private final long clusterCount;
    private final int fatBits;

    /** Reads the boot sector of the FAT file system that starts at byte {@code partitionOffset} of {@code disk}. */
    public FatFileLocator(FileChannel disk, long partitionOffset) throws IOException {
        this.disk = disk;
        this.base = partitionOffset;
        ByteBuffer bs = read(partitionOffset, 512);
        bytesPerSector = bs.getShort(11) & 0xffff;
        int sectorsPerCluster = bs.get(13) & 0xff;
        int reserved = bs.getShort(14) & 0xffff;
        int fats = bs.get(16) & 0xff;
        rootEntries = bs.getShort(17) & 0xffff;
        long totalSectors = (bs.getShort(19) & 0xffff) != 0 ? bs.getShort(19) & 0xffff : bs.getInt(32) & 0xffffffffL;
        long fatSectors = (bs.getShort(22) & 0xffff) != 0 ? bs.getShort(22) & 0xffff : bs.getInt(36) & 0xffffffffL;
        if ((bs.get(510) & 0xff) != 0x55 || (bs.get(511) & 0xff) != 0xaa || Integer.bitCount(bytesPerSector) != 1
                || bytesPerSector < 512 || sectorsPerCluster == 0 || Integer.bitCount(sectorsPerCluster) != 1
                || fats == 0 || fatSectors == 0 || totalSectors == 0) {
            throw new FleetkitException("fat.not-fat", "no FAT file system at byte " + partitionOffset + " of the disk",
                    "Check the partition table: p1 must be the FAT boot partition.");
        }
        clusterSize = bytesPerSector * sectorsPerCluster;
        long rootSectors = ((long) rootEntries * 32 + bytesPerSector - 1) / bytesPerSector;
        fatOffset = base + (long) reserved * bytesPerSector;
        rootOffset = fatOffset + fats * fatSectors * bytesPerSector;
        dataOffset = rootOffset + rootSectors * bytesPerSector;
        clusterCount = (totalSectors - reserved - fats * fatSectors - rootSectors) / sectorsPerCluster;
        fatBits = clusterCount < 4085 ? 12 : clusterCount < 65525 ? 16 : 32;
        rootCluster = fatBits == 32 ? bs.getInt(44) & 0x0fffffffL : 0;
    }

    public int fatBits() {
        return fatBits;
    }

    /** Finds a file by path ({@code /}-separated, case-insensitive, short or long names). */
    public Optional<FatFile> find(String path) throws IOException {
        String[] parts = path.replaceFirst("^/+", "").split("/");
        Entry dir = null;
        for (int i = 0; i < parts.length; i++) {
            Optional<Entry> e = lookup(dir, parts[i]);
            if (e.isEmpty()) {
                return Optional.empty();
            }
            boolean last = i == parts.length - 1;
            if (e.get().directory() == last) {
                return Optional.empty();
            }
            dir = e.get();
        }
        List<Extent> extents = new ArrayList<>();
        long left = dir.size();
        for (long c : chain(dir.firstCluster())) {
            if (left <= 0) {
                break;
            }
            long len = Math.min(left, clusterSize);
            long off = clusterOffset(c);
            Extent prev = extents.isEmpty() ? null : extents.get(extents.size() - 1);
            if (prev != null && prev.offset() + prev.length() == off) {
                extents.set(extents.size() - 1, new Extent(prev.offset(), prev.length() + len));
            } else {
                extents.add(new Extent(off, len));
            }
            left -= len;
        }
        if (left > 0) {
            throw corrupt("the cluster chain of " + path + " is shorter than its size of " + dir.size() + " bytes");
        }
        return Optional.of(new FatFile(path, dir.size(), extents));
    }

    /** Reads a located file's bytes (bounded: the caller found it, so it knows the size). */
    public byte[] read(FatFile file) throws IOException {
        if (file.size() > 64L * 1024 * 1024) {
            throw new IOException(file.path() + " is " + file.size() + " bytes, too large to read whole");
        }
        ByteBuffer out = ByteBuffer.allocate((int) file.size());
        for (Extent e : file.extents()) {
            out.put(read(e.offset(), (int) e.length()));
        }
        return out.array();
    }

    /** Finds and reads a file, empty when absent. */
    public Optional<byte[]> readFile(String path) throws IOException {
        Optional<FatFile> f = find(path);
        return f.isPresent() ? Optional.of(read(f.get())) : Optional.empty();
    }

    private record Entry(String shortName, String longName, boolean directory, long firstCluster, long size) {
        boolean matches(String name) {
            return name.equalsIgnoreCase(shortName) || longName != null && name.equalsIgnoreCase(longName);
        }
    }

    private Optional<Entry> lookup(Entry dir, String name) throws IOException {
        byte[] data = dir == null ? rootDirectory() : readChain(dir.firstCluster());
        StringBuilder lfn = new StringBuilder();
        for (int off = 0; off + 32 <= data.length; off += 32) {
            int first = data[off] & 0xff;
            if (first == 0) {
                break;
            }
            int attr = data[off + 11] & 0xff;
            if (first == 0xe5) {
                lfn.setLength(0);
                continue;
            }
            if (attr == 0x0f) {
                if ((first & 0x40) != 0) {
                    lfn.setLength(0);
                }
                lfn.insert(0, lfnPart(data, off));
                continue;
            }
            if ((attr & 0x08) != 0) {
                lfn.setLength(0);
                continue;
            }
            ByteBuffer b = ByteBuffer.wrap(data, off, 32).order(ByteOrder.LITTLE_ENDIAN);
            long cluster = ((long) (b.getShort(off + 20) & 0xffff) << 16 | (b.getShort(off + 26) & 0xffff));
            if (fatBits != 32) {
                cluster &= 0xffff;
            }
            Entry e = new Entry(shortName(data, off), lfn.length() == 0 ? null : lfn.toString(), (attr & 0x10) != 0,
                    cluster, b.getInt(off + 28) & 0xffffffffL);
            lfn.setLength(0);
            if (e.matches(name)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    private static String lfnPart(byte[] d, int off) {
        StringBuilder s = new StringBuilder();
        int[] at = {1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30};
        for (int p : at) {
            char c = (char) ((d[off + p] & 0xff) | (d[off + p + 1] & 0xff) << 8);
            if (c == 0 || c == 0xffff) {
                break;
            }
            s.append(c);
        }
        return s.toString();
    }

    private static String shortName(byte[] d, int off) {
        String base = new String(d, off, 8, StandardCharsets.ISO_8859_1).stripTrailing();
        String ext = new String(d, off + 8, 3, StandardCharsets.ISO_8859_1).stripTrailing();
        if ((d[off] & 0xff) == 0x05) {
            base = (char) 0xe5 + base.substring(1);
        }
        return (ext.isEmpty() ? base : base + "." + ext).toUpperCase(Locale.ROOT);
    }

    private byte[] rootDirectory() throws IOException {
        if (fatBits == 32) {
            return readChain(rootCluster);
        }
        return read(rootOffset, rootEntries * 32).array();
    }

    private byte[] readChain(long first) throws IOException {
        List<Long> clusters = chain(first);
        if ((long) clusters.size() * clusterSize > 16L * 1024 * 1024) {
            throw corrupt("a directory spans " + clusters.size() + " clusters");
        }
        ByteBuffer out = ByteBuffer.allocate(clusters.size() * clusterSize);
        for (long c : clusters) {
            out.put(read(clusterOffset(c), clusterSize));
        }
        return out.array();
    }

    private List<Long> chain(long first) throws IOException {
        List<Long> out = new ArrayList<>();
        long c = first;
        long end = fatBits == 12 ? 0xff8 : fatBits == 16 ? 0xfff8 : 0x0ffffff8L;
        while (c >= 2 && c < end) {
            if (c >= clusterCount + 2 || out.size() > clusterCount) {
                throw corrupt("cluster chain from " + first + " leaves the volume or loops at cluster " + c);
            }
            out.add(c);
            c = next(c);
        }
        return out;
    }

    private long next(long cluster) throws IOException {
        return switch (fatBits) {
            case 12 -> {
                ByteBuffer b = read(fatOffset + cluster + cluster / 2, 2);
                int v = b.getShort(0) & 0xffff;
                yield (cluster & 1) == 0 ? v & 0xfff : v >>> 4;
            }
            case 16 -> read(fatOffset + cluster * 2, 2).getShort(0) & 0xffff;
            default -> read(fatOffset + cluster * 4, 4).getInt(0) & 0x0fffffffL;
        };
    }

    private long clusterOffset(long cluster) {
        return dataOffset + (cluster - 2) * clusterSize;
    }

    private ByteBuffer read(long offset, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (disk.read(b, offset + b.position()) < 0) {
                throw new IOException("disk ends at byte " + (offset + b.position()) + " inside the FAT file system");
            }
        }
        return b.flip();
    }

    private static FleetkitException corrupt(String why) {
        return new FleetkitException("fat.corrupt", "boot FAT file system: " + why, "Run fsck.fat on the boot partition or reflash it.");
    }
}
