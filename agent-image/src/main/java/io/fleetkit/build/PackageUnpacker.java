package io.fleetkit.build;

import io.fleetkit.debian.DebEntry;
import io.fleetkit.packages.DebDataCache;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Puts the data of .deb files into a {@link RootTree}, as root-owned entries, leaving out what
 * {@link LeanFilter} drops. Maintainer scripts are not run. Hard links become copies, which a
 * RAM root does not mind and which keeps the tree a plain map.
 */
final class PackageUnpacker {

    private final RootTree tree;
    private final DebDataCache debData;
    private long droppedBytes;

    PackageUnpacker(RootTree tree, DebDataCache debData) {
        this.tree = tree;
        this.debData = debData;
    }

    /** @param sha256 the .deb's digest from the verified index, which names its kept data */
    void unpack(Path deb, String sha256) throws IOException {
        Map<String, byte[]> files = new HashMap<>();
        debData.readData(deb, sha256, (entry, content) -> {
            String path = entry.path();
            if (path.isEmpty() || !LeanFilter.keep(path)) {
                if (entry.type() == DebEntry.Type.FILE) {
                    droppedBytes += entry.size();
                }
                return;
            }
            switch (entry.type()) {
                case DIRECTORY -> tree.put(path, new RootEntry.Directory(entry.mode() & 07777, 0, 0));
                case FILE -> {
                    byte[] bytes = content.readAllBytes();
                    files.put(path, bytes);
                    tree.replace(path, new RootEntry.File(entry.mode() & 07777, 0, 0, bytes));
                }
                case SYMLINK -> tree.replace(path, new RootEntry.Symlink(entry.linkTarget(), 0, 0));
                case HARDLINK -> {
                    byte[] target = files.get(entry.linkTarget());
                    if (target != null) {
                        tree.replace(path, new RootEntry.File(entry.mode() & 07777, 0, 0, target));
                    }
                }
            }
        });
    }

    long droppedBytes() {
        return droppedBytes;
    }
}
