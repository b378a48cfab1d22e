package io.fleetkit.ota.server.broker;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/** A directory only the server's user can enter (0700): for the broker's key stores and the database's files. */
public final class PrivateDirectory {

    private PrivateDirectory() {
    }

    /** Creates {@code dir} (and its parents) if missing, and makes it 0700 either way. */
    public static Path ensure(Path dir) throws IOException {
        Files.createDirectories(dir);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
        return dir;
    }

    /** {@link #ensure}, after deleting whatever {@code dir} held. */
    static Path recreate(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        return ensure(dir);
    }
}
