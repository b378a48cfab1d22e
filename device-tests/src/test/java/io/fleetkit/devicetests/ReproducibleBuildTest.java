package io.fleetkit.devicetests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fleetkit.cli.FleetCommand;
import io.fleetkit.debian.archive.ContentCache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The same spec, keys and lock give the same bytes in every process, from every directory: two
 * separate {@code fleet build} processes, each in its own directory with its own copy of the spec
 * and keys, under another time zone, locale, file encoding, umask and user name, each linking the
 * agent's runtime and assembling the agent package afresh in its own cache (the downloads are
 * shared), write byte-identical outputs — every file, the netboot tree and the agent package included.
 * The first build also shares the derived entries (parsed index, unpacked debs, compressed layers),
 * which earlier builds of the lane usually filled; the second makes all of them afresh, so cached
 * and freshly compressed bytes from two processes are compared (two cold builds cost ~170 s of a
 * loaded lane, one of them ~85 s).
 * (Builds inside one JVM cannot see the hash salt of {@code Map.of}, which changes per process.)
 */
class ReproducibleBuildTest {

    private static final String EXAMPLE = "qemu-arm64";
    /** Per-process state in the cache: made afresh by each build, so both are compared. */
    private static final Set<String> FRESH_IN_EACH_CACHE = Set.of("jre", "agent-packages");

    @Test
    void twoFleetProcessesInTwoDirectoriesUnderOtherTimeZoneLocaleAndUmaskWriteTheSameBytes() throws Exception {
        Path root = TestBuilds.ROOT.resolve("reproducible-" + System.currentTimeMillis());
        Path a = workspace(root.resolve("a"), true);
        Path b = workspace(root.resolve("b"), false);
        LocalDate day = LocalDate.now(ZoneOffset.UTC);

        build(a, Map.of("TZ", "UTC", "LANG", "C", "LC_ALL", "C"), "022", "alice");
        // The second build uses the lock the first one wrote, as a user rebuilding an image would.
        Files.copy(a.resolve(EXAMPLE + ".lock"), b.resolve(EXAMPLE + ".lock"));
        build(b, Map.of("TZ", "Pacific/Kiritimati", "LANG", "tr_TR.UTF-8", "LC_ALL", "tr_TR.UTF-8"), "077", "bob");
        // Without SOURCE_DATE_EPOCH a bundle carries its build day (docs/reproducible-builds.md): across midnight
        // UTC the bundles differ by design, so such a run says nothing.
        assumeTrue(day.equals(LocalDate.now(ZoneOffset.UTC)), "the builds straddled midnight UTC");

        List<String> outputs = sameFiles(a.resolve("out"), b.resolve("out"));
        assertTrue(outputs.containsAll(List.of("gateway-1.0.0.img", "gateway-1.0.0.img.bmap", "gateway-1.0.0.slot",
                "gateway-1.0.0.bundle", "gateway-1.0.0.json", "gateway-1.0.0.lock", "gateway-1.0.0.netboot/initrd.img",
                "gateway-1.0.0.netboot/netboot.json")), "every kind of output was compared: " + outputs);
        List<String> agent = sameFiles(a.resolve("cache/agent-packages"), b.resolve("cache/agent-packages"));
        assertTrue(agent.stream().anyMatch(f -> f.endsWith("/agent.manifest.sig")), "the agent package was compared: " + agent);
        sameFiles(a.resolve("cache/jre"), b.resolve("cache/jre"));
        assertArrayEquals(Files.readAllBytes(a.resolve(EXAMPLE + ".lock")), Files.readAllBytes(b.resolve(EXAMPLE + ".lock")));
    }

    /** A directory with its own copy of the example and the test keys, and a cache that shares the downloads (and the derived entries). */
    private static Path workspace(Path dir, boolean shareDerived) throws IOException {
        Path spec = Examples.spec(EXAMPLE);
        Files.createDirectories(dir.resolve("keys"));
        Files.writeString(dir.resolve(EXAMPLE + ".yml"), Files.readString(spec));
        try (Stream<Path> keys = Files.list(spec.resolveSibling("keys"))) {
            for (Path k : keys.toList()) {
                Files.copy(k, dir.resolve("keys").resolve(k.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        Path shared = ContentCache.fromEnvironment().root();
        Path cache = Files.createDirectories(dir.resolve("cache"));
        Files.createDirectories(shared.resolve("derived"));
        try (Stream<Path> entries = Files.list(shared)) {
            for (Path e : entries.toList()) {
                String name = e.getFileName().toString();
                if (!FRESH_IN_EACH_CACHE.contains(name) && (shareDerived || !name.equals("derived"))) {
                    Files.createSymbolicLink(cache.resolve(e.getFileName()), e);
                }
            }
        }
        return dir;
    }

    /** {@code fleet build} in its own JVM, started in {@code dir} with a relative spec path. */
    private static void build(Path dir, Map<String, String> env, String umask, String user) throws Exception {
        List<String> java = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.name=" + user, "-cp", System.getProperty("java.class.path"), FleetCommand.class.getName(),
                "build", EXAMPLE + ".yml", "-o", "out"));
        List<String> argv = new ArrayList<>(List.of("sh", "-c", "umask " + umask + " && exec \"$@\"", "sh"));
        argv.addAll(java);
        ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("build.log").toFile());
        pb.environment().putAll(env);
        pb.environment().put("FLEETKIT_CACHE", dir.resolve("cache").toString());
        pb.environment().remove("SOURCE_DATE_EPOCH");
        Process p = pb.start();
        if (!p.waitFor(20, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("fleet build in " + dir + " did not finish in 20 minutes");
        }
        assertEquals(0, p.exitValue(), "fleet build in " + dir + " failed:\n" + Files.readString(dir.resolve("build.log")));
    }

    /** Asserts both trees hold the same files with the same bytes; returns their relative paths. */
    private static List<String> sameFiles(Path first, Path second) throws IOException {
        List<String> names = relativeFiles(first);
        assertEquals(names, relativeFiles(second), "the same files in " + first + " and " + second);
        for (String n : names) {
            assertArrayEquals(Files.readAllBytes(first.resolve(n)), Files.readAllBytes(second.resolve(n)), "differs: " + n);
        }
        return names;
    }

    private static List<String> relativeFiles(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }
}
