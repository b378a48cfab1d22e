package io.fleetkit.devicetests;

import io.fleetkit.build.BuildResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** The repository's examples/, copied beside the test keys so their {@code ./keys} resolves, and built once. */
final class Examples {

    static final Path SOURCE = Path.of("..", "examples").toAbsolutePath().normalize();
    static final Path DIR = TestBuilds.ROOT.resolve("examples");
    private static final java.util.Set<String> FRESH = new java.util.HashSet<>();

    private Examples() {
    }

    static synchronized Path spec(String name) {
        try {
            Files.createDirectories(DIR);
            Path keys = DIR.resolve("keys");
            if (!Files.exists(keys)) {
                Files.createDirectories(keys);
                try (Stream<Path> files = Files.list(TestBuilds.keys())) {
                    for (Path f : files.toList()) {
                        Files.copy(f, keys.resolve(f.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
            Path target = DIR.resolve(name + ".yml");
            if (FRESH.add(name)) {
                // The builder uses an existing lock as is, even when the spec (or the builder) now needs packages the
                // lock lacks (a lock from before the update agent has no zlib1g, and the agent's java cannot start).
                // Here the lock is a build output, so each test JVM resolves afresh.
                Files.deleteIfExists(DIR.resolve(name + ".lock"));
            }
            Files.writeString(target, Lane.dialThisLane(Files.readString(SOURCE.resolve(name + ".yml"))));
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static BuildResult build(String name) {
        return TestBuilds.build("example-" + name, spec(name));
    }
}
