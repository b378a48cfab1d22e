package io.fleetkit.formats.fat;

import java.io.IOException;

/** Where a cluster chain is followed: the allocation table on the volume, or one being patched in memory. */
interface ClusterLinks {

    /** The table's entry for {@code cluster}: the next cluster, 0 when free, or an end or bad mark. */
    long next(long cluster) throws IOException;
}
