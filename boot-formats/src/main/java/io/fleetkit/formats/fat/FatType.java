package io.fleetkit.formats.fat;

/** The FAT variants the writer produces (FAT12 is not needed for boot partitions). */
public enum FatType {
    FAT16(2, 0xFFFF, 65524, 4085),
    FAT32(4, 0x0FFFFFFF, 0x0FFFFFF5, 65525);

    final int entryBytes;
    final int endOfChain;
    /** Cluster count bounds from Microsoft's FAT specification (fatgen103). */
    final long maxClusters;
    final long minClusters;

    FatType(int entryBytes, int endOfChain, long maxClusters, long minClusters) {
        this.entryBytes = entryBytes;
        this.endOfChain = endOfChain;
        this.maxClusters = maxClusters;
        this.minClusters = minClusters;
    }

    /** The type of a volume with this many clusters, as every FAT driver decides it. */
    static FatType forClusterCount(long clusters) {
        return clusters < 65525 ? FAT16 : FAT32;
    }
}
