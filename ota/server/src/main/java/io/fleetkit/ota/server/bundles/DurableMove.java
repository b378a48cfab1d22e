package io.fleetkit.ota.server.bundles;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Puts a finished temporary file in its place so that, once this returns, a crash of the process
 * or the machine leaves either no file at the target or the whole of it: the file's bytes are
 * fsynced, the file is renamed atomically over the target, and the directory is fsynced so the
 * rename itself is on the storage.
 */
final class DurableMove {

    private DurableMove() {
    }

    static void into(Path tmp, Path target) throws IOException {
        try (FileChannel f = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            f.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel d = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
            d.force(true); // Linux fsyncs a directory opened read-only; the rename is durable after it
        }
    }
}
