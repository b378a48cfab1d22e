package io.fleetkit.formats.fat;

import io.fleetkit.events.FleetkitException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides short names, directory sizes and cluster runs for a tree: directories first
 * (breadth first, so lookups stay near the start), then every file as one contiguous run.
 */
final class FatLayout {

    static final int MAX_DIR_SLOTS = 65536;

    static final class Dir {
        final Dir parent;
        final List<Item> items = new ArrayList<>();
        final String path;
        int slots;
        long firstCluster;
        long clusters;

        Dir(Dir parent, String path) {
            this.parent = parent;
            this.path = path;
        }

        boolean isRoot() {
            return parent == null;
        }
    }

    static final class Item {
        final FatEntry entry;
        final FatNames.ShortName shortName;
        final boolean needsLong;
        Dir dir;
        long firstCluster;
        long clusters;

        Item(FatEntry entry, FatNames.ShortName shortName, boolean needsLong) {
            this.entry = entry;
            this.shortName = shortName;
            this.needsLong = needsLong;
        }
    }

    final Dir root;
    final List<Dir> dirs = new ArrayList<>();
    final List<Item> files = new ArrayList<>();

    FatLayout(FatEntry.Directory tree, boolean hasLabel) {
        root = new Dir(null, "/");
        Deque<FatEntry.Directory> pending = new ArrayDeque<>();
        Deque<Dir> pendingDirs = new ArrayDeque<>();
        pending.add(tree);
        pendingDirs.add(root);
        while (!pending.isEmpty()) {
            FatEntry.Directory d = pending.poll();
            Dir dir = pendingDirs.poll();
            name(d, dir, hasLabel);
            dirs.add(dir);
            for (Item item : dir.items) {
                if (item.entry instanceof FatEntry.Directory sub) {
                    item.dir = new Dir(dir, dir.path + sub.name() + "/");
                    pending.add(sub);
                    pendingDirs.add(item.dir);
                } else {
                    files.add(item);
                }
            }
        }
    }

    private static void name(FatEntry.Directory d, Dir dir, boolean hasLabel) {
        Set<String> used = new HashSet<>();
        FatNames.ShortName[] exact = new FatNames.ShortName[d.children().size()];
        for (int i = 0; i < exact.length; i++) {
            exact[i] = FatNames.exactShortName(d.children().get(i).name());
            if (exact[i] != null) {
                used.add(exact[i].key());
            }
        }
        dir.slots = dir.isRoot() ? (hasLabel ? 1 : 0) : 2;
        for (int i = 0; i < exact.length; i++) {
            FatEntry child = d.children().get(i);
            FatNames.ShortName sn = exact[i];
            if (sn == null) {
                sn = FatNames.generatedShortName(child.name(), used);
                used.add(sn.key());
            }
            Item item = new Item(child, sn, exact[i] == null);
            dir.slots += DirectoryRecords.slotsFor(child.name(), item.needsLong);
            dir.items.add(item);
        }
        if (dir.slots > MAX_DIR_SLOTS) {
            throw new FleetkitException("image.fat-dir-full", "directory " + dir.path + " needs "
                    + dir.slots + " entries; FAT allows " + MAX_DIR_SLOTS, "split it into subdirectories");
        }
    }

    /** Clusters the directories and files take (not the gaps alignment leaves). */
    long usedClusters() {
        return dirs.stream().mapToLong(d -> d.clusters).sum() + files.stream().mapToLong(f -> f.clusters).sum();
    }

    /**
     * Assigns cluster runs; returns the first cluster after the last run. Files of at least
     * {@code alignment} bytes (0: none) start at a volume offset that is a multiple of it.
     */
    long allocate(FatGeometry g, long sizeBytes, int alignment) {
        int cb = g.clusterBytes();
        long next = 2;
        for (Dir dir : dirs) {
            if (dir.isRoot() && g.type() == FatType.FAT16) {
                continue;
            }
            dir.firstCluster = next;
            dir.clusters = Math.max(1, ((long) dir.slots * DirectoryRecords.SIZE + cb - 1) / cb);
            next += dir.clusters;
        }
        for (Item f : files) {
            long size = ((FatEntry.File) f.entry).content().size();
            f.clusters = (size + cb - 1) / cb;
            if (alignment > 0 && size >= alignment) {
                if (alignment % cb != 0) {
                    throw new IllegalArgumentException("file alignment " + alignment + " is not a multiple of the " + cb + "-byte cluster");
                }
                long misaligned = g.clusterOffset(next) % alignment;
                next += misaligned == 0 ? 0 : (alignment - misaligned) / cb;
            }
            f.firstCluster = f.clusters == 0 ? 0 : next;
            next += f.clusters;
        }
        long needed = next - 2; // alignment gaps included: the runs must end inside the volume
        if (needed > g.clusterCount()) {
            long short_ = needed - g.clusterCount();
            throw new FleetkitException("image.fat-full",
                    "the files need " + needed + " clusters of " + cb + " bytes but the " + g.type()
                            + " volume of " + sizeBytes + " bytes has " + g.clusterCount()
                            + "; short by " + short_ + " clusters (" + short_ * cb + " bytes)",
                    "make the partition at least " + (short_ * cb) + " bytes larger or leave files out");
        }
        return next;
    }
}
