package io.fleetkit.board;

import io.fleetkit.events.FleetkitException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Finds a board's firmware files in extracted Debian packages. */
public final class FirmwareSelection {

    /** A firmware file found on disk. */
    public record Resolved(FirmwareFile file, Path source) {
    }

    private FirmwareSelection() {
    }

    /** {@code packageRoots} maps a package name (e.g. {@code raspi-firmware}) to where it was extracted. */
    public static List<Resolved> forBoard(BoardProfile board, Map<String, Path> packageRoots) {
        List<Resolved> found = new ArrayList<>();
        for (FirmwareFile file : board.firmware()) {
            Path root = packageRoots.get(file.debianPackage());
            if (root == null) {
                throw new FleetkitException("board.firmware-package-missing",
                        "board " + board.name() + " needs package " + file.debianPackage() + " for " + file.targetName(),
                        "add " + file.debianPackage() + " to the packages fetched for this image");
            }
            Path source = root.resolve(file.sourcePath());
            if (!Files.isRegularFile(source)) {
                throw new FleetkitException("board.firmware-missing",
                        "package " + file.debianPackage() + " has no " + file.sourcePath() + " (needed by " + board.name() + ")",
                        "check the package version; Fleetkit's profiles match Debian bookworm");
            }
            found.add(new Resolved(file, source));
        }
        return List.copyOf(found);
    }
}
