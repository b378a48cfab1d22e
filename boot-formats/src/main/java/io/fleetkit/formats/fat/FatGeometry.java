package io.fleetkit.formats.fat;

import io.fleetkit.events.FleetkitException;

/**
 * Where everything sits on a FAT volume. {@link #choose} picks the type and cluster size the
 * way mkfs.fat does (Microsoft's tables; FAT32 from 512 MiB) and aligns the data area to the
 * cluster size; {@link FatBootSector#parse} recovers it from an existing volume.
 */
public record FatGeometry(FatType type, long totalSectors, int sectorsPerCluster,
                          int reservedSectors, long fatSectors, int rootEntries,
                          long clusterCount, long hiddenSectors) {

    public static final int SECTOR = 512;
    static final int FAT_COPIES = 2;
    /** mkfs.fat's default threshold for FAT32. */
    static final long FAT32_FROM_BYTES = 512L << 20;

    /**
     * @param type          null to choose by size
     * @param rootEntries   FAT16 root directory slots (at least 512); ignored for FAT32
     * @param hiddenSectors the partition's start LBA
     */
    public static FatGeometry choose(long sizeBytes, FatType type, int rootEntries, long hiddenSectors) {
        long sectors = sizeBytes / SECTOR;
        FatType t = type != null ? type : sizeBytes < FAT32_FROM_BYTES ? FatType.FAT16 : FatType.FAT32;
        if (sectors > 0xFFFFFFFFL) {
            throw tooBig(sizeBytes, t);
        }
        int roots = t == FatType.FAT16 ? Math.max(512, (rootEntries + 15) / 16 * 16) : 0;
        int spc = t == FatType.FAT16 ? fat16ClusterSectors(sectors) : fat32ClusterSectors(sectors);
        while (true) {
            FatGeometry g = layout(t, sectors, spc, roots, hiddenSectors);
            if (g.clusterCount > t.maxClusters && spc < 128) {
                spc *= 2;
            } else if (g.clusterCount < t.minClusters && spc > 1) {
                spc /= 2;
            } else if (g.clusterCount > t.maxClusters) {
                throw tooBig(sizeBytes, t);
            } else if (g.clusterCount < t.minClusters) {
                throw new FleetkitException("image.fat-size",
                        sizeBytes + " bytes is too small for " + t + " (needs at least "
                                + t.minClusters + " clusters)",
                        t == FatType.FAT32 ? "use FAT16 or a larger partition" : "use a larger partition");
            } else {
                return g;
            }
        }
    }

    private static FatGeometry layout(FatType t, long sectors, int spc, int roots, long hidden) {
        int baseReserved = t == FatType.FAT32 ? 32 : 1;
        int rootSectors = roots * 32 / SECTOR;
        long fat = 1;
        while (true) {
            long unaligned = baseReserved + FAT_COPIES * fat + rootSectors;
            int reserved = (int) (baseReserved + (spc - unaligned % spc) % spc);
            long dataStart = reserved + FAT_COPIES * fat + rootSectors;
            long clusters = Math.max(0, (sectors - dataStart) / spc);
            long need = ((clusters + 2) * t.entryBytes + SECTOR - 1) / SECTOR;
            if (need <= fat) {
                return new FatGeometry(t, sectors, spc, reserved, fat, roots, clusters, hidden);
            }
            fat = need;
        }
    }

    private static int fat16ClusterSectors(long sectors) {
        return sectors <= 32680 ? 2 : sectors <= 262144 ? 4 : sectors <= 524288 ? 8
                : sectors <= 1048576 ? 16 : sectors <= 2097152 ? 32 : 64;
    }

    private static int fat32ClusterSectors(long sectors) {
        return sectors <= 532480 ? 1 : sectors <= 16777216 ? 8 : sectors <= 33554432 ? 16
                : sectors <= 67108864 ? 32 : 64;
    }

    private static FleetkitException tooBig(long sizeBytes, FatType t) {
        return new FleetkitException("image.fat-size", sizeBytes + " bytes is too large for " + t,
                t == FatType.FAT16 ? "use FAT32" : "use a smaller partition");
    }

    public int clusterBytes() {
        return sectorsPerCluster * SECTOR;
    }

    public long fatOffset(int copy) {
        return ((long) reservedSectors + copy * fatSectors) * SECTOR;
    }

    /** Byte offset of the fixed FAT16 root directory (FAT32 keeps it in clusters). */
    public long rootDirOffset() {
        return fatOffset(FAT_COPIES);
    }

    public long dataOffset() {
        return rootDirOffset() + (long) rootEntries * 32;
    }

    public long clusterOffset(long cluster) {
        return dataOffset() + (cluster - 2) * clusterBytes();
    }

    public long sizeBytes() {
        return totalSectors * SECTOR;
    }

    /** Bytes free for file and directory clusters on an empty volume. */
    public long dataBytes() {
        return clusterCount * clusterBytes();
    }
}
