package io.fleetkit.formats.fat;

import io.fleetkit.events.Event;
import io.fleetkit.events.EventSink;
import io.fleetkit.formats.disk.ByteRange;
import io.fleetkit.formats.disk.DiskRegion;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a complete FAT16/FAT32 volume for a {@link FatTree}, without external tools. Only
 * metadata, directories and file clusters are written; free clusters are left alone, so a
 * fresh sparse image stays sparse and {@link FatWriteResult#writtenRanges()} feeds the bmap.
 * The same tree and spec always give the same bytes.
 */
public final class FatImageWriter {

    private static final String TASK = "fat";
    private final FatVolumeSpec spec;
    private final EventSink sink;
    private final int fileAlignment;

    public FatImageWriter(FatVolumeSpec spec) {
        this(spec, EventSink.NONE);
    }

    public FatImageWriter(FatVolumeSpec spec, EventSink sink) {
        this(spec, sink, 0);
    }

    private FatImageWriter(FatVolumeSpec spec, EventSink sink, int fileAlignment) {
        this.spec = spec;
        this.sink = sink;
        this.fileAlignment = fileAlignment;
    }

    /**
     * This writer, placing every file of at least {@code bytes} at a volume offset that is a multiple
     * of {@code bytes} (a power of two, at least the cluster size), the clusters skipped left free:
     * so a file that is the same in two volumes lies in the same aligned blocks of both, whatever
     * came before it (what a delta update finds, in blocks of the bundle's chunk size).
     */
    public FatImageWriter alignFilesTo(int bytes) {
        if (bytes <= 0 || Integer.bitCount(bytes) != 1) {
            throw new IllegalArgumentException("file alignment must be a power of two, is " + bytes);
        }
        return new FatImageWriter(spec, sink, bytes);
    }

    /**
     * Creates or replaces {@code file} as a sparse file of exactly the volume's size, written
     * beside it first and moved into place, so a failed build leaves no half image.
     */
    public FatWriteResult write(FatTree tree, Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        FatWriteResult result;
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            result = write(tree, ch, 0);
            if (ch.size() < spec.sizeBytes()) {
                ch.write(ByteBuffer.allocate(1), spec.sizeBytes() - 1);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return result;
    }

    /** Writes the volume into {@code ch} starting at byte {@code offset} (a partition's start). */
    public FatWriteResult write(FatTree tree, SeekableByteChannel ch, long offset) throws IOException {
        FatLayout layout = new FatLayout(tree.root(), spec.hasLabel());
        FatGeometry g = FatGeometry.choose(spec.sizeBytes(), spec.type(), layout.root.slots, spec.hiddenSectors());
        long nextFree = layout.allocate(g, spec.sizeBytes(), fileAlignment);
        FatTable fat = new FatTable(g.type(), g.clusterCount());
        for (FatLayout.Dir d : layout.dirs) {
            fat.chain(d.firstCluster, d.clusters);
        }
        for (FatLayout.Item f : layout.files) {
            fat.chain(f.firstCluster, f.clusters);
        }
        long used = layout.usedClusters();
        long free = g.clusterCount() - used;
        DosTimestamp ts = DosTimestamp.ofEpochSecond(spec.timestampEpochSecond());
        DiskRegion out = new DiskRegion(ch, offset);

        out.write(0, reservedRegion(g, free, nextFree > g.clusterCount() + 1 ? 0xFFFFFFFFL : nextFree));
        byte[] table = fat.toBytes(g.fatSectors());
        for (int copy = 0; copy < FatGeometry.FAT_COPIES; copy++) {
            out.write(g.fatOffset(copy), table);
        }
        for (FatLayout.Dir d : layout.dirs) {
            boolean fixedRoot = d.isRoot() && g.type() == FatType.FAT16;
            int bytes = fixedRoot ? g.rootEntries() * DirectoryRecords.SIZE : (int) (d.clusters * g.clusterBytes());
            out.write(fixedRoot ? g.rootDirOffset() : g.clusterOffset(d.firstCluster), directory(d, bytes, ts));
        }
        long total = layout.files.stream().mapToLong(f -> ((FatEntry.File) f.entry).content().size()).sum();
        long done = 0;
        for (FatLayout.Item f : layout.files) {
            done += writeFile(out, g, f, done, total);
        }
        sink.debug(TASK, g.type() + " volume of " + g.sizeBytes() + " bytes: " + used + " of "
                + g.clusterCount() + " clusters of " + g.clusterBytes() + " bytes used");
        return new FatWriteResult(g, ByteRange.merge(out.written()), used, free);
    }

    private byte[] reservedRegion(FatGeometry g, long free, long nextFree) {
        byte[] region = new byte[g.reservedSectors() * FatGeometry.SECTOR];
        byte[] boot = FatBootSector.build(g, spec.label11(), spec.volumeId());
        System.arraycopy(boot, 0, region, 0, boot.length);
        if (g.type() == FatType.FAT32) {
            byte[] info = FatBootSector.fsInfo(free, nextFree);
            for (int sector : new int[] {FatBootSector.FSINFO_SECTOR, FatBootSector.BACKUP_BOOT_SECTOR + 1}) {
                System.arraycopy(info, 0, region, sector * FatGeometry.SECTOR, info.length);
            }
            System.arraycopy(boot, 0, region, FatBootSector.BACKUP_BOOT_SECTOR * FatGeometry.SECTOR, boot.length);
        }
        return region;
    }

    private byte[] directory(FatLayout.Dir d, int bytes, DosTimestamp ts) {
        ByteBuffer b = ByteBuffer.allocate(bytes);
        if (d.isRoot() && spec.hasLabel()) {
            b.put(DirectoryRecords.shortEntry(spec.label11().getBytes(StandardCharsets.US_ASCII),
                    DirectoryRecords.ATTR_VOLUME_ID, 0, 0, 0, ts));
        }
        if (!d.isRoot()) {
            long parent = d.parent.isRoot() ? 0 : d.parent.firstCluster;
            b.put(DirectoryRecords.shortEntry(".          ".getBytes(StandardCharsets.US_ASCII), DirectoryRecords.ATTR_DIRECTORY, 0,
                    d.firstCluster, 0, ts));
            b.put(DirectoryRecords.shortEntry("..         ".getBytes(StandardCharsets.US_ASCII), DirectoryRecords.ATTR_DIRECTORY, 0,
                    parent, 0, ts));
        }
        for (FatLayout.Item item : d.items) {
            if (item.needsLong) {
                DirectoryRecords.longEntries(item.entry.name(), item.shortName.bytes()).forEach(b::put);
            }
            boolean isDir = item.dir != null;
            long cluster = isDir ? item.dir.firstCluster : item.firstCluster;
            long size = isDir ? 0 : ((FatEntry.File) item.entry).content().size();
            b.put(DirectoryRecords.shortEntry(item.shortName.bytes(),
                    isDir ? DirectoryRecords.ATTR_DIRECTORY : DirectoryRecords.ATTR_ARCHIVE,
                    item.shortName.caseBits(), cluster, size, ts));
        }
        return b.array();
    }

    private long writeFile(DiskRegion out, FatGeometry g, FatLayout.Item f, long doneBefore, long total)
            throws IOException {
        FatContent content = ((FatEntry.File) f.entry).content();
        long size = content.size();
        if (size == 0) {
            return 0;
        }
        long pos = g.clusterOffset(f.firstCluster);
        long padded = f.clusters * g.clusterBytes();
        byte[] buf = new byte[(int) Math.min(1 << 20, padded)];
        long written = 0;
        try (InputStream in = content.open()) {
            while (written < size) {
                int n = in.readNBytes(buf, 0, (int) Math.min(buf.length, size - written));
                if (n == 0) {
                    throw new IOException("source of '" + f.entry.name() + "' ended after " + written
                            + " of " + size + " bytes");
                }
                out.write(pos + written, buf, 0, n);
                written += n;
                sink.progress(TASK, doneBefore + written, total, Event.Unit.BYTES);
            }
            if (in.read() >= 0) {
                throw new IOException("source of '" + f.entry.name() + "' is longer than " + size + " bytes");
            }
        }
        out.write(pos + size, new byte[(int) (padded - size)]);
        return size;
    }
}
