package io.fleetkit.formats.fat;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.formats.disk.ByteRange;
import io.fleetkit.formats.disk.DiskRegion;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Replaces or adds one small file in an existing FAT volume in place (per-device identity
 * files on a flashed card). Only the file's clusters, its directory slots, the touched FAT
 * sectors (both copies) and FSInfo are rewritten; the result reports exactly those ranges.
 * The parent directory must exist.
 */
public final class FatFilePatcher {

    private final SeekableByteChannel ch;
    private final long base;

    /** {@code ch} must be open for reading and writing; {@code offset} is the volume's start. */
    public FatFilePatcher(SeekableByteChannel ch, long offset) {
        this.ch = ch;
        this.base = offset;
    }

    public FatPatchResult put(String path, byte[] content, long timestampEpochSecond) throws IOException {
        FatImageReader onDisk = new FatImageReader(ch, base);
        if (onDisk.fatBits() == 12) {
            throw new FleetkitException("image.fat-unreadable", "the volume at byte " + base
                    + " is FAT12, which the patcher does not handle", "use FAT16 or FAT32");
        }
        FatTable fat = onDisk.loadTable();
        // Chains are followed through the table as it is being changed, before it is written back.
        FatImageReader reader = onDisk.following(fat);
        FatGeometry g = reader.geometry();
        List<String> parts = FatImageReader.parts(path);
        if (parts.isEmpty()) {
            throw new FleetkitException("image.fat-bad-path", "empty path '" + path + "'", null);
        }
        String name = parts.get(parts.size() - 1);
        FatNames.checkLongName(name, path);
        String parent = String.join("/", parts.subList(0, parts.size() - 1));
        long dirCluster = reader.directoryCluster(parent);
        FatImageReader.RawEntry existing = reader.findRaw(path).orElse(null);
        if (existing != null && existing.info().directory()) {
            throw new FleetkitException("image.fat-is-dir", "'" + path + "' is a directory on the FAT volume",
                    "choose a file path");
        }
        Set<Long> dirtyEntries = new TreeSet<>();
        List<Long> old = existing == null ? List.of() : reader.chain(existing.info().firstCluster());
        long needed = (content.length + (long) g.clusterBytes() - 1) / g.clusterBytes();
        List<Long> clusters = new ArrayList<>(old.subList(0, (int) Math.min(needed, old.size())));
        for (long c : old.subList(clusters.size(), old.size())) {
            fat.set(c, 0);
            dirtyEntries.add(c);
        }
        clusters.addAll(ClusterAllocator.allocate(fat, needed - clusters.size(),
                clusters.isEmpty() ? 2 : clusters.get(clusters.size() - 1) + 1, g));
        link(fat, clusters, dirtyEntries);

        DiskRegion out = new DiskRegion(ch, base);
        for (int i = 0; i < clusters.size(); i++) {
            byte[] cluster = new byte[g.clusterBytes()];
            int from = i * g.clusterBytes();
            System.arraycopy(content, from, cluster, 0, Math.min(cluster.length, content.length - from));
            out.write(g.clusterOffset(clusters.get(i)), cluster);
        }
        long first = clusters.isEmpty() ? 0 : clusters.get(0);
        DosTimestamp ts = DosTimestamp.ofEpochSecond(timestampEpochSecond);
        if (existing != null) {
            long at = existing.slotOffsets()[existing.slotOffsets().length - 1];
            byte[] slot = reader.readBytes(at, 32);
            ByteBuffer b = ByteBuffer.wrap(slot).order(ByteOrder.LITTLE_ENDIAN);
            b.putShort(20, (short) (first >>> 16)).putShort(22, (short) ts.time()).putShort(24, (short) ts.date());
            b.putShort(26, (short) first).putInt(28, content.length).putShort(18, (short) ts.date());
            out.write(at, slot);
        } else {
            addEntry(reader, fat, dirCluster, name, first, content.length, ts, out, dirtyEntries, g);
        }
        writeFatSectors(fat, dirtyEntries, g, out);
        if (g.type() == FatType.FAT32) {
            byte[] info = FatBootSector.fsInfo(fat.freeCount(), fat.firstFree());
            out.write((long) FatBootSector.FSINFO_SECTOR * FatGeometry.SECTOR, info);
            out.write((long) (FatBootSector.BACKUP_BOOT_SECTOR + 1) * FatGeometry.SECTOR, info);
        }
        return new FatPatchResult(existing == null, ByteRange.merge(out.written()));
    }

    private void addEntry(FatImageReader reader, FatTable fat, long dirCluster, String name, long first,
                          long size, DosTimestamp ts, DiskRegion out, Set<Long> dirty,
                          FatGeometry g) throws IOException {
        Set<String> used = new HashSet<>();
        for (FatImageReader.RawEntry e : reader.rawEntries(dirCluster, "/")) {
            used.add(new String(e.shortName(), java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        FatNames.ShortName exact = FatNames.exactShortName(name);
        FatNames.ShortName sn = exact != null ? exact : FatNames.generatedShortName(name, used);
        List<byte[]> records = new ArrayList<>();
        if (exact == null) {
            records.addAll(DirectoryRecords.longEntries(name, sn.bytes()));
        }
        records.add(DirectoryRecords.shortEntry(sn.bytes(), DirectoryRecords.ATTR_ARCHIVE, sn.caseBits(),
                first, size, ts));
        long[] slots = reader.slotOffsets(dirCluster);
        int start = freeRun(reader, slots, records.size());
        if (start < 0) {
            if (dirCluster == 0) {
                throw new FleetkitException("image.fat-dir-full", "the FAT16 root directory has no room for '"
                        + name + "'", "put the file in a subdirectory or rebuild the image");
            }
            List<Long> chain = reader.chain(dirCluster);
            long extra = ClusterAllocator.allocate(fat, 1, chain.get(chain.size() - 1) + 1, g).get(0);
            fat.set(chain.get(chain.size() - 1), (int) extra);
            fat.set(extra, fat.endOfChain());
            dirty.add(chain.get(chain.size() - 1));
            dirty.add(extra);
            out.write(g.clusterOffset(extra), new byte[g.clusterBytes()]);
            slots = reader.slotOffsets(dirCluster);
            start = freeRun(reader, slots, records.size());
        }
        for (int i = 0; i < records.size(); i++) {
            out.write(slots[start + i], records.get(i));
        }
    }

    /** Index of the first run of {@code count} unused slots, or -1. */
    private static int freeRun(FatImageReader reader, long[] slots, int count) throws IOException {
        int run = 0;
        for (int i = 0; i < slots.length; i++) {
            int first = reader.readBytes(slots[i], 1)[0] & 0xFF;
            if (first == 0) {
                return slots.length - i >= count - run ? i - run : -1;
            }
            run = first == 0xE5 ? run + 1 : 0;
            if (run == count) {
                return i - count + 1;
            }
        }
        return -1;
    }

    private static void link(FatTable fat, List<Long> clusters, Set<Long> dirty) {
        for (int i = 0; i < clusters.size(); i++) {
            fat.set(clusters.get(i), i == clusters.size() - 1 ? fat.endOfChain() : (int) (long) clusters.get(i + 1));
            dirty.add(clusters.get(i));
        }
    }

    private static void writeFatSectors(FatTable fat, Set<Long> dirtyEntries, FatGeometry g,
                                        DiskRegion out) throws IOException {
        byte[] table = fat.toBytes(g.fatSectors());
        Set<Long> sectors = new TreeSet<>();
        for (long c : dirtyEntries) {
            sectors.add(fat.entryOffset(c) / FatGeometry.SECTOR);
        }
        for (long s : sectors) {
            byte[] sector = java.util.Arrays.copyOfRange(table, (int) (s * FatGeometry.SECTOR),
                    (int) ((s + 1) * FatGeometry.SECTOR));
            for (int copy = 0; copy < FatGeometry.FAT_COPIES; copy++) {
                out.write(g.fatOffset(copy) + s * FatGeometry.SECTOR, sector);
            }
        }
    }
}
