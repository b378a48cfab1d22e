package io.fleetkit.devicetests;

import io.fleetkit.build.BuildRequest;
import io.fleetkit.build.BuildResult;
import io.fleetkit.build.ImageBuilder;
import io.fleetkit.build.OutputFormat;
import io.fleetkit.debian.archive.ContentCache;
import io.fleetkit.events.EventSink;
import io.fleetkit.keys.FleetKeys;
import io.fleetkit.keys.ServerKeys;
import io.fleetkit.ota.protocol.ServerIds;
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

    /**
     * The fleet keys every test image trusts, made once, with the server's identity beside them (issued for 10.0.2.2,
     * the host as qemu's guests dial it, and loopback).
     */
    static synchronized Path keys() {
        Path dir = ROOT.resolve("keys");
        try {
            if (!Files.exists(dir.resolve("signing.key"))) {
                FleetKeys.init(dir, Clock.systemUTC());
            }
            if (!Files.exists(dir.resolve(ServerKeys.SERVER_CERT))) {
                ServerKeys.issue(FleetKeys.load(dir), dir, ServerIds.DEFAULT, List.of("10.0.2.2", "localhost", "127.0.0.1"),
                        java.time.Duration.ofDays(365), false, Clock.systemUTC());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /** What the online server holds of {@link #keys()}: ca.crt, signing.pub, server.crt, server.key (no signing.key, no ca.key). */
    static synchronized Path serverKeys() {
        Path dir = ROOT.resolve("server-keys");
        try {
            Files.createDirectories(dir);
            for (String name : ServerKeys.FILES) {
                Files.copy(keys().resolve(name), dir.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
