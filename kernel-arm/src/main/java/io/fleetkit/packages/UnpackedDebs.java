package io.fleetkit.packages;

import io.fleetkit.debian.DebExtractor;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Extracted .deb trees kept next to the download cache, keyed by the .deb's SHA-256, so a kernel
 * package is unpacked once. A tree appears only complete: it is extracted into a temporary
 * directory and renamed into place, so an interrupted extraction leaves nothing behind that looks
 * finished.
 */
public final class UnpackedDebs {

    private final Path root;

    public UnpackedDebs(Path cacheRoot) {
        this.root = cacheRoot.resolve("unpacked");
    }

    public Path unpack(Path deb, String sha256) throws IOException {
        Path target = root.resolve(sha256);
        if (Files.isDirectory(target)) {
            return target;
        }
        Files.createDirectories(root);
        Path tmp = Files.createTempDirectory(root, "." + sha256.substring(0, 12) + "-");
        try {
            DebExtractor.extractTo(deb, tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException | AtomicMoveNotSupportedException raced) {
                // Another build unpacked the same .deb first; theirs is identical.
                deleteTree(tmp);
            }
        } catch (IOException | RuntimeException e) {
            deleteTree(tmp);
            throw e;
        }
        return target;
    }

    /** Deletes a directory tree, read-only entries included; nothing if it does not exist. */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                p.toFile().setWritable(true);
                Files.deleteIfExists(p);
            }
        }
    }
}
