package io.fleetkit.formats.fat;

import io.fleetkit.events.FleetkitException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The files and directories to put on a FAT volume, addressed by '/'-separated paths.
 * Missing parent directories are created. FAT compares names without case, so two names
 * that differ only in case cannot share a directory and are refused.
 */
public final class FatTree {

    private final Node root = new Node("");

    public FatTree addFile(String path, byte[] content) {
        return addFile(path, FatContent.of(content));
    }

    public FatTree addFile(String path, Path source) throws IOException {
        return addFile(path, FatContent.of(source));
    }

    public FatTree addFile(String path, FatContent content) {
        List<String> parts = split(path);
        Node parent = directory(parts.subList(0, parts.size() - 1), path);
        parent.put(parts.get(parts.size() - 1), new Node(parts.get(parts.size() - 1), content), path);
        return this;
    }

    public FatTree addDirectory(String path) {
        directory(split(path), path);
        return this;
    }

    /** The tree as immutable entries, children sorted by name. */
    public FatEntry.Directory root() {
        return (FatEntry.Directory) root.toEntry();
    }

    private Node directory(List<String> parts, String path) {
        Node dir = root;
        for (String part : parts) {
            Node child = dir.children.get(part);
            if (child == null) {
                child = new Node(part);
                dir.put(part, child, path);
            } else if (child.content != null) {
                throw new FleetkitException("image.fat-bad-path",
                        "'" + path + "': '" + part + "' is a file, not a directory",
                        "rename the file or the directory");
            }
            dir = child;
        }
        return dir;
    }

    private static List<String> split(String path) {
        List<String> parts = new ArrayList<>();
        for (String p : path.split("/")) {
            if (!p.isEmpty()) {
                FatNames.checkLongName(p, path);
                parts.add(p);
            }
        }
        if (parts.isEmpty()) {
            throw new FleetkitException("image.fat-bad-path", "empty path '" + path + "'", null);
        }
        return parts;
    }

    private static final class Node {
        final String name;
        final FatContent content;
        final Map<String, Node> children = new TreeMap<>();
        final Map<String, String> folded = new TreeMap<>();

        Node(String name) {
            this(name, null);
        }

        Node(String name, FatContent content) {
            this.name = name;
            this.content = content;
        }

        void put(String childName, Node child, String path) {
            String key = childName.toUpperCase(Locale.ROOT);
            String existing = folded.get(key);
            if (existing != null) {
                throw new FleetkitException("image.fat-name-clash",
                        "'" + path + "': '" + childName + "' clashes with '" + existing
                                + "' (FAT names ignore case)",
                        "give the entries names that differ in more than case");
            }
            folded.put(key, childName);
            children.put(childName, child);
        }

        FatEntry toEntry() {
            if (content != null) {
                return new FatEntry.File(name, content);
            }
            List<FatEntry> entries = new ArrayList<>();
            children.values().forEach(c -> entries.add(c.toEntry()));
            return new FatEntry.Directory(name, entries);
        }
    }
}
