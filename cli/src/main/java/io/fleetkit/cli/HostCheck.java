package io.fleetkit.cli;

import io.fleetkit.board.BoardProfiles;
import io.fleetkit.board.QemuSettings;
import io.fleetkit.events.FleetkitException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Checks that the host has what running a board needs, and names the exact apt-get line when not. */
final class HostCheck {

    private HostCheck() {
    }

    static void requireEmulator(String board) {
        QemuSettings q = BoardProfiles.get(board).qemuSettings().orElseThrow();
        List<String> missing = new ArrayList<>();
        if (!onPath(q.system())) {
            missing.add("qemu-system-arm");
        }
        if (!Files.isRegularFile(Path.of(q.biosPath()))) {
            missing.add(q.biosPackage());
        }
        if (!missing.isEmpty()) {
            throw new FleetkitException("host.missing-packages", "this machine lacks " + String.join(" and ", missing),
                    "sudo apt-get install -y " + String.join(" ", missing));
        }
    }

    private static boolean onPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
