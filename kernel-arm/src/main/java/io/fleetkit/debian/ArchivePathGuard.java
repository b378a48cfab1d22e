package io.fleetkit.debian;

import io.fleetkit.events.FleetkitException;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Checks the entries of one archive, in order, against escaping the extraction root: absolute
 * paths, ".." components, writing through a symlink that leads outside the root (including
 * any absolute symlink, which would leave a directory extraction), relative symlinks that climb
 * above the root, an entry replacing an earlier symlink, and hard links to anything but an
 * earlier regular file.
 */
final class ArchivePathGuard {

    private static final int MAX_SYMLINK_HOPS = 40;

    private final String archive;
    private final Map<String, String> symlinks = new HashMap<>();
    private final Set<String> files = new HashSet<>();

    ArchivePathGuard(String archive) {
        this.archive = archive;
    }

    /** Normalises a tar entry name: drops "./", "." and empty components; refuses "/" and "..". */
    String normalise(String raw) {
        if (raw.startsWith("/")) {
            throw unsafe(raw, "absolute path");
        }
        StringBuilder out = new StringBuilder();
        for (String c : raw.split("/")) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                throw unsafe(raw, "'..' component");
            }
            if (c.indexOf('\0') >= 0) {
                throw unsafe(raw, "NUL in name");
            }
            if (out.length() > 0) {
                out.append('/');
            }
            out.append(c);
        }
        return out.toString();
    }

    /** Checks an entry whose path is already normalised, and records it for later entries. */
    void admit(DebEntry e) {
        String path = e.path();
        if (symlinks.containsKey(path)) {
            throw unsafe(path, "replaces the earlier symlink " + path + " -> " + symlinks.get(path));
        }
        int slash = path.lastIndexOf('/');
        if (slash > 0) {
            resolveDirectory(path.substring(0, slash), path);
        }
        switch (e.type()) {
            case SYMLINK -> {
                String t = e.linkTarget();
                if (t == null || t.isEmpty()) {
                    throw unsafe(path, "symlink without target");
                }
                if (!t.startsWith("/") && climb(parentOf(path), t) == null) {
                    throw unsafe(path, "symlink " + path + " -> " + t + " points outside the root");
                }
                symlinks.put(path, t);
                files.remove(path);
            }
            case HARDLINK -> {
                if (!files.contains(e.linkTarget())) {
                    throw unsafe(path, "hard link to " + e.linkTarget()
                            + ", which is not a regular file extracted before it");
                }
            }
            case FILE -> files.add(path);
            case DIRECTORY -> files.remove(path);
            default -> throw new IllegalStateException();
        }
    }

    /** Follows known symlinks along a directory path; fails when that leaves the root. */
    private void resolveDirectory(String dir, String entry) {
        String current = "";
        for (String c : dir.split("/")) {
            current = current.isEmpty() ? c : current + "/" + c;
            String target = symlinks.get(current);
            if (target != null) {
                String resolved = target.startsWith("/") ? null : climb(parentOf(current), target);
                if (resolved == null) {
                    throw unsafe(entry, "would be written through symlink " + current + " -> " + target
                            + ", which leads outside the root");
                }
                current = resolved;
            }
        }
    }

    /**
     * {@code base/relative} with every known symlink on the way followed, as the kernel would,
     * or null when it climbs above the root, meets an absolute link, or loops.
     */
    private String climb(String base, String relative) {
        Deque<String> stack = new ArrayDeque<>();
        Deque<String> pending = new ArrayDeque<>();
        for (String c : relative.split("/")) {
            pending.addLast(c);
        }
        if (!base.isEmpty()) {
            stack.addAll(java.util.List.of(base.split("/")));   // base is already resolved
        }
        int hops = 0;
        while (!pending.isEmpty()) {
            String c = pending.removeFirst();
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (stack.isEmpty()) {
                    return null;
                }
                stack.removeLast();
                continue;
            }
            stack.addLast(c);
            String link = symlinks.get(String.join("/", stack));
            if (link != null) {
                if (link.startsWith("/") || ++hops > MAX_SYMLINK_HOPS) {
                    return null;
                }
                stack.removeLast();
                String[] parts = link.split("/");
                for (int i = parts.length - 1; i >= 0; i--) {
                    pending.addFirst(parts[i]);
                }
            }
        }
        return String.join("/", stack);
    }

    private static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    FleetkitException unsafe(String entry, String why) {
        return new FleetkitException("debian.unsafe-archive",
                archive + ": entry '" + entry + "' is refused: " + why,
                "the package is damaged or hostile; check its source and digest, and do not use it");
    }
}
