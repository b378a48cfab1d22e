package io.fleetkit.netboot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A directory served to the network. Requested names are untrusted: they may not contain
 * {@code ..}, NUL or drive letters, and after resolving symlinks the file must still be inside
 * the tree, so neither a crafted name nor a symlink planted in the tree reaches other files.
 */
public final class ServedTree {

    private static final int MAX_NAME = 1024;
    private final Path root;

    /** {@code root} must be a real path (see {@link Path#toRealPath}). */
    public ServedTree(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** The regular file {@code name} names inside the tree, or empty when there is none or it escapes. */
    public Optional<Path> resolve(String name) {
        return safeRelative(name).flatMap(rel -> {
            Path candidate = root.resolve(rel).normalize();
            if (!candidate.startsWith(root)) {
                return Optional.empty();
            }
            try {
                Path real = candidate.toRealPath();
                if (!real.startsWith(root) || !Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
                    return Optional.empty();
                }
                return Optional.of(real);
            } catch (IOException e) {
                return Optional.empty();
            }
        });
    }

    /** True when {@code name} is a directory inside the tree (after resolving symlinks). */
    public boolean isDirectory(String name) {
        return safeRelative(name).map(rel -> {
            try {
                Path real = root.resolve(rel).toRealPath();
                return real.startsWith(root) && Files.isDirectory(real);
            } catch (IOException e) {
                return false;
            }
        }).orElse(false);
    }

    /**
     * The request name as a relative '/'-path, or empty when it is unsafe. Backslashes count as
     * separators because some PXE ROMs send DOS-style names.
     */
    public static Optional<String> safeRelative(String name) {
        if (name == null || name.length() > MAX_NAME || name.indexOf('\0') >= 0 || name.indexOf(':') >= 0) {
            return Optional.empty();
        }
        StringBuilder out = new StringBuilder();
        for (String part : name.replace('\\', '/').split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                return Optional.empty();
            }
            if (out.length() > 0) {
                out.append('/');
            }
            out.append(part);
        }
        return out.length() == 0 ? Optional.empty() : Optional.of(out.toString());
    }
}
