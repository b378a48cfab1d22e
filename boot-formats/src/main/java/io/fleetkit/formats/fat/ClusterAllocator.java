package io.fleetkit.formats.fat;

import io.fleetkit.events.FleetkitException;

import java.util.ArrayList;
import java.util.List;

/** Finds free clusters for a patch: one contiguous run if there is one, else the first free ones. */
final class ClusterAllocator {

    private ClusterAllocator() {
    }

    /** Takes {@code count} free clusters (marked end-of-chain so they are not handed out twice). */
    static List<Long> allocate(FatTable fat, long count, long preferFrom, FatGeometry g) {
        List<Long> out = new ArrayList<>();
        if (count <= 0) {
            return out;
        }
        long start = run(fat, count, Math.max(2, preferFrom));
        if (start < 0) {
            start = run(fat, count, 2);
        }
        if (start >= 0) {
            for (long c = start; c < start + count; c++) {
                out.add(c);
            }
        } else {
            for (long c = 2; c < fat.clusterLimit() && out.size() < count; c++) {
                if (fat.get(c) == 0) {
                    out.add(c);
                }
            }
        }
        if (out.size() < count) {
            long missing = count - out.size();
            throw new FleetkitException("image.fat-full", "the FAT volume lacks " + missing + " clusters ("
                    + missing * g.clusterBytes() + " bytes) for the patch", "free space on the volume");
        }
        out.forEach(c -> fat.set(c, fat.endOfChain()));
        return out;
    }

    private static long run(FatTable fat, long count, long from) {
        long length = 0;
        for (long c = from; c < fat.clusterLimit(); c++) {
            length = fat.get(c) == 0 ? length + 1 : 0;
            if (length == count) {
                return c - count + 1;
            }
        }
        return -1;
    }
}
