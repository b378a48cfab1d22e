package io.fleetkit.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The specs users start from (the repository's examples/ directory) must always load. */
class ExampleSpecsTest {

    private static final Path EXAMPLES = Path.of("..", "examples");

    static Stream<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            return files.filter(f -> f.toString().endsWith(".yml")).sorted().toList().stream();
        }
    }

    @Test
    void coversEveryDocumentedBoard() throws IOException {
        assertEquals(List.of("qemu-arm64.yml", "qemu-armhf.yml", "rpi3.yml", "rpi4.yml"),
                examples().map(p -> p.getFileName().toString()).toList());
    }

    @ParameterizedTest
    @MethodSource("examples")
    void loadsWithHeartbeatMotdCapabilityAndUpdates(Path file) throws IOException {
        ImageSpec spec = SpecLoader.load(List.of(file));

        String fileName = file.getFileName().toString();
        assertEquals(fileName.substring(0, fileName.length() - ".yml".length()), spec.board());
        assertTrue(spec.packages().stream().anyMatch(p -> p.name().equals("busybox-static")));
        assertTrue(spec.packages().stream().anyMatch(p -> p.name().equals("crun")));
        assertTrue(spec.files().stream().anyMatch(f -> f.path().equals("/etc/motd")));
        assertTrue(spec.services().stream().anyMatch(s -> s.name().equals("heartbeat")));
        assertTrue(spec.services().stream().anyMatch(s -> s.capabilities().equals(List.of("CAP_NET_BIND_SERVICE"))));
        assertEquals(file.toAbsolutePath().normalize().getParent().resolve("keys"), spec.update().orElseThrow().keys());
    }
}
