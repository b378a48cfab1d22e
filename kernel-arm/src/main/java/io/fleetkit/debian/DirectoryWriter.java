package io.fleetkit.debian;

import io.fleetkit.events.FleetkitException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Writes checked {@link DebEntry}s under a root directory: permission bits (setuid/setgid are
 * not kept, Java cannot set them), modification times, symlinks and hard links; no chown, so
 * everything belongs to the caller. Besides the archive checks, each write is checked against
 * the disk itself, so links left by an earlier package in the same root cannot redirect it.
 */
final class DirectoryWriter implements DebEntryVisitor {

    private record DirMode(Path dir, int mode, long mtime) {
    }

    private final Path root;
    private final String archive;
    private final List<DirMode> dirs = new ArrayList<>();

    DirectoryWriter(Path root, String archive) throws IOException {
        Files.createDirectories(root);
        this.root = root.toRealPath();
        this.archive = archive;
    }

    @Override
    public void visit(DebEntry e, InputStream content) throws IOException {
        Path target = root.resolve(e.path());
        Path parent = target.getParent();
        Path existing = parent;
        while (!Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        // check before creating anything: a link from an earlier package must not lead mkdir outside
        if (!existing.toRealPath().startsWith(root)) {
            throw unsafe(e, "its directory resolves to " + existing.toRealPath() + ", outside " + root);
        }
        Files.createDirectories(parent);
        if (!parent.toRealPath().startsWith(root)) {
            throw unsafe(e, "its directory resolves to " + parent.toRealPath() + ", outside " + root);
        }
        switch (e.type()) {
            case DIRECTORY -> {
                if (Files.isSymbolicLink(target)) {
                    throw unsafe(e, "a symlink is already there");
                }
                Files.createDirectories(target);
                // modes are set last, so a read-only directory can still receive its files
                dirs.add(new DirMode(target, e.mode(), e.mtime()));
            }
            case FILE -> {
                Files.copy(content, target, StandardCopyOption.REPLACE_EXISTING);
                finishFile(target, e);
            }
            case SYMLINK -> {
                Files.deleteIfExists(target);
                Files.createSymbolicLink(target, Path.of(e.linkTarget()));
            }
            case HARDLINK -> {
                Path source = root.resolve(e.linkTarget());
                if (Files.isSymbolicLink(source) || !source.toRealPath().startsWith(root)) {
                    throw unsafe(e, "its target " + e.linkTarget() + " is not a file inside " + root);
                }
                Files.deleteIfExists(target);
                Files.createLink(target, source);
            }
            default -> throw new IllegalStateException();
        }
    }

    void finish() throws IOException {
        for (int i = dirs.size() - 1; i >= 0; i--) {
            DirMode d = dirs.get(i);
            Files.setPosixFilePermissions(d.dir(), permissions(d.mode()));
            Files.setLastModifiedTime(d.dir(), FileTime.fromMillis(d.mtime() * 1000));
        }
    }

    private static void finishFile(Path p, DebEntry e) throws IOException {
        Files.setPosixFilePermissions(p, permissions(e.mode()));
        Files.getFileAttributeView(p, java.nio.file.attribute.BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .setTimes(FileTime.fromMillis(e.mtime() * 1000), null, null);
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << i)) != 0) {
                s.add(bits[i]);
            }
        }
        return s;
    }

    private FleetkitException unsafe(DebEntry e, String why) {
        return new FleetkitException("debian.unsafe-archive", archive + ": entry '" + e.path() + "' is refused: " + why,
                "the package is damaged or hostile, or the extraction directory holds links; use an empty directory");
    }
}
