package io.fleetkit.formats.fat;

import java.util.List;

/** A node of a {@link FatTree}: a file with content or a directory with sorted children. */
public sealed interface FatEntry permits FatEntry.File, FatEntry.Directory {

    String name();

    record File(String name, FatContent content) implements FatEntry {
    }

    /** Children are sorted by name, which fixes the on-disk order. */
    record Directory(String name, List<FatEntry> children) implements FatEntry {
        public Directory {
            children = List.copyOf(children);
        }
    }
}
