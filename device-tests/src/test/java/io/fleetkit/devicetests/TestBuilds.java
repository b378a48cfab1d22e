package io.fleetkit.devicetests;

import io.fleetkit.build.BuildRequest;
import io.fleetkit.build.BuildResult;
import io.fleetkit.build.ImageBuilder;
import io.fleetkit.build.OutputFormat;
import io.fleetkit.debian.archive.ContentCache;
import io.fleetkit.events.EventSink;
import io.fleetkit.keys.FleetKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Images built once per test JVM and shared by the tests that only read them. Builds use the
 * real Debian archive through the normal download cache, so a warm cache makes them quick.
 */
final class TestBuilds {

    /** Per {@link Lane}: lane 1 keeps the historical target/device-tests. */
    static final Path ROOT = Path.of("target", Lane.NUMBER == 1 ? "device-tests" : "device-tests-lane" + Lane.NUMBER).toAbsolutePath();
    private static final Map<String, BuildResult> BUILT = new ConcurrentHashMap<>();

    private TestBuilds() {
    }

    /** The fleet keys every test image trusts, made once. */
    static synchronized Path keys() {
        Path dir = ROOT.resolve("keys");
        if (!Files.exists(dir.resolve("signing.key"))) {
            try {
                FleetKeys.init(dir, Clock.systemUTC());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dir;
    }

    /** Builds {@code spec} (a resource under specs/, or a path) into target/device-tests/NAME once per JVM. */
    static synchronized BuildResult build(String name, Path spec) {
        return BUILT.computeIfAbsent(name, n -> {
            try {
                return buildInto(spec, ROOT.resolve(n), null, Set.of());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    static BuildResult buildInto(Path spec, Path out, Path lock, Set<OutputFormat> formats) throws IOException {
        Files.createDirectories(out);
        return new ImageBuilder(EventSink.NONE).build(new BuildRequest(List.of(spec), out, formats, lock, null, false,
                ContentCache.fromEnvironment().root(), "gzip", Map.of()));
    }

    /** Copies a spec resource next to the test keys, so its relative {@code update.keys: ./keys} resolves. */
    static Path specResource(String resource) {
        try {
            keys();
            Path target = ROOT.resolve(resource);
            Files.createDirectories(target.getParent());
            try (var in = TestBuilds.class.getResourceAsStream("/specs/" + resource)) {
                if (in == null) {
                    throw new IllegalArgumentException("no test spec " + resource);
                }
                Files.writeString(target, Lane.dialThisLane(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)));
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
