package io.fleetkit.keys;

import io.fleetkit.events.FleetkitException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes key files with their modes set from the start (a private key is never readable by
 * others, not even for a moment) and puts them in place complete, never replacing a file.
 */
public final class KeyFiles {

    static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");
    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private KeyFiles() {
    }

    static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    /** Creates {@code dir} with mode 0700 if it does not exist. */
    public static void createDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (posix()) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
            Files.setPosixFilePermissions(dir, DIRECTORY); // umask may have narrowed or widened nothing, but be sure
        } else {
            Files.createDirectories(dir);
        }
    }

    /** Writes a private key file (0600), never replacing one. */
    public static void writePrivate(Path target, String text) throws IOException {
        write(target, text, PRIVATE);
    }

    /** Writes a certificate or public key file (0644), never replacing one. */
    public static void writePublic(Path target, String text) throws IOException {
        write(target, text, PUBLIC);
    }

    /** Replaces {@code target} (or creates it) in one rename, with {@code mode} from the start: for renewed certificates. */
    static void replace(Path target, String text, Set<PosixFilePermission> mode) throws IOException {
        put(target, text, mode, tmp -> Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING));
    }

    static void write(Path target, String text, Set<PosixFilePermission> mode) throws IOException {
        // link, not rename: rename would silently replace a key that appeared meanwhile
        put(target, text, mode, tmp -> Files.createLink(target, tmp));
    }

    private interface Place {
        void from(Path tmp) throws IOException;
    }

    /** Writes {@code text} to a temporary file beside {@code target}, never readable by others, gives it {@code mode}, then places it. */
    private static void put(Path target, String text, Set<PosixFilePermission> mode, Place place) throws IOException {
        Path tmp = posix()
                ? Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp", PosixFilePermissions.asFileAttribute(PRIVATE))
                : Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.US_ASCII);
            if (posix()) {
                Files.setPosixFilePermissions(tmp, mode);
            }
            place.from(tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Refuses a private key file that group or others can read, as ssh does. */
    public static void checkPrivate(Path file) throws IOException {
        if (!posix()) {
            return;
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        perms.retainAll(Set.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE));
        if (!perms.isEmpty()) {
            throw new FleetkitException("keys.unsafe-mode", file + " is accessible by group or others ("
                    + PosixFilePermissions.toString(Files.getPosixFilePermissions(file)) + ")",
                    "chmod 600 " + file + " (and consider the key leaked if others could read it).");
        }
    }
}
