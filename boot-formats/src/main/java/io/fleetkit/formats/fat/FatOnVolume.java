package io.fleetkit.formats.fat;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.formats.disk.DiskRegion;

import java.io.IOException;

/**
 * The first allocation table, read where it lies a block at a time: following a chain loads only
 * the part of the FAT it crosses, so the agent finds a file on a device without holding the table.
 * Reads 12-, 16- and 32-bit entries (FAT12's cross byte boundaries).
 */
final class FatOnVolume implements ClusterLinks {

    private static final int BLOCK = 4096;

    private final DiskRegion volume;
    private final long fatOffset;
    private final long fatBytes;
    private final int bits;
    private long cachedAt = -1;
    private byte[] cached;

    FatOnVolume(DiskRegion volume, FatGeometry g, int bits) {
        this.volume = volume;
        this.fatOffset = g.fatOffset(0);
        this.fatBytes = g.fatSectors() * FatGeometry.SECTOR;
        this.bits = bits;
    }

    @Override
    public long next(long cluster) throws IOException {
        return switch (bits) {
            case 12 -> {
                long at = cluster + cluster / 2;
                int v = byteAt(at) | byteAt(at + 1) << 8;
                yield (cluster & 1) == 0 ? v & 0xFFF : v >>> 4;
            }
            case 16 -> byteAt(2 * cluster) | byteAt(2 * cluster + 1) << 8;
            default -> (byteAt(4 * cluster) | byteAt(4 * cluster + 1) << 8 | byteAt(4 * cluster + 2) << 16
                    | (long) byteAt(4 * cluster + 3) << 24) & 0x0FFFFFFFL;
        };
    }

    private int byteAt(long at) throws IOException {
        if (at >= fatBytes) {
            throw new FleetkitException("image.fat-corrupt", "cluster entry at byte " + at + " lies past the "
                    + fatBytes + "-byte FAT", "run fsck.fat on the volume");
        }
        long block = at / BLOCK * BLOCK;
        if (block != cachedAt) {
            cached = volume.read(fatOffset + block, (int) Math.min(BLOCK, fatBytes - block));
            cachedAt = block;
        }
        return cached[(int) (at - block)] & 0xFF;
    }
}
