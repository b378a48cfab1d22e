package io.fleetkit.build;

import io.fleetkit.events.FleetkitException;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The root filesystem as a sorted map from path (relative, no leading '/') to entry. Sorted so
 * the initramfs is written in the same order every time; parents are created as directories
 * when a child is added, so every path has a parent entry before it in the archive.
 */
public final class RootTree {

    private final TreeMap<String, RootEntry> entries = new TreeMap<>();

    public static String normalise(String path) {
        String p = path;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.isEmpty()) {
            throw new IllegalArgumentException("empty path");
        }
        for (String part : p.split("/")) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new FleetkitException("build.bad-path", "path '" + path + "' has an empty, '.' or '..' component",
                        "use absolute paths without '.' or '..'");
            }
        }
        return p;
    }

    /** Adds or replaces an entry; a later package or spec file wins, as dpkg's last unpack would. */
    public RootTree put(String path, RootEntry entry) {
        String p = normalise(path);
        ensureParents(p);
        RootEntry existing = entries.get(p);
        if (existing instanceof RootEntry.Directory && entry instanceof RootEntry.Directory) {
            // Keep the first directory's metadata unless the new one comes from the spec (callers replace explicitly).
            return this;
        }
        entries.put(p, entry);
        return this;
    }

    /** Replaces whatever is at {@code path}, including directory metadata. */
    public RootTree replace(String path, RootEntry entry) {
        String p = normalise(path);
        ensureParents(p);
        entries.put(p, entry);
        return this;
    }

    public RootTree directory(String path, int mode) {
        return put(path, new RootEntry.Directory(mode, 0, 0));
    }

    public RootTree file(String path, int mode, byte[] content) {
        return put(path, new RootEntry.File(mode, 0, 0, content));
    }

    public RootTree symlink(String path, String target) {
        return put(path, new RootEntry.Symlink(target, 0, 0));
    }

    public boolean contains(String path) {
        return entries.containsKey(normalise(path));
    }

    public RootEntry get(String path) {
        return entries.get(normalise(path));
    }

    /** Removes an entry and everything under it. */
    public void remove(String path) {
        String p = normalise(path);
        entries.remove(p);
        entries.subMap(p + "/", p + "/\uffff").clear();
    }

    public SortedMap<String, RootEntry> entries() {
        return Collections.unmodifiableSortedMap(entries);
    }

    public long contentBytes() {
        long n = 0;
        for (Map.Entry<String, RootEntry> e : entries.entrySet()) {
            if (e.getValue() instanceof RootEntry.File f) {
                n += f.content().length;
            }
        }
        return n;
    }

    private void ensureParents(String p) {
        int slash = p.lastIndexOf('/');
        if (slash < 0) {
            return;
        }
        String parent = p.substring(0, slash);
        RootEntry existing = entries.get(parent);
        if (existing == null) {
            ensureParents(parent);
            entries.put(parent, new RootEntry.Directory(0755, 0, 0));
        } else if (!(existing instanceof RootEntry.Directory)) {
            if (existing instanceof RootEntry.Symlink) {
                throw new FleetkitException("build.path-through-symlink",
                        "'/" + p + "' would be created below the symlink '/" + parent + "'",
                        "add the file at the symlink's target path instead");
            }
            throw new FleetkitException("build.path-conflict", "'/" + parent + "' is a file, but '/" + p + "' needs it to be a directory",
                    "rename one of them in the spec");
        }
    }
}
