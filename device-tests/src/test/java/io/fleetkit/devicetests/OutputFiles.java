package io.fleetkit.devicetests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The files one build wrote, in a stable order. */
final class OutputFiles {

    private OutputFiles() {
    }

    static List<Path> list(Path dir, String baseName) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> dir.relativize(p).toString().startsWith(baseName))
                    .sorted()
                    .toList();
        }
    }
}
