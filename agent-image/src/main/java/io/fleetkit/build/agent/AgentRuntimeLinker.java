package io.fleetkit.build.agent;

import io.fleetkit.packages.UnpackedDebs;

import io.fleetkit.events.EventSink;
import io.fleetkit.events.FleetkitException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A small Java runtime for the target architecture, made by the host's {@code jlink} from the
 * target's Debian OpenJDK jmods (cross-linking works when the feature versions match). Cached by
 * the jmods package digest and the module list, since linking takes seconds and the result is
 * the same every time.
 */
public final class AgentRuntimeLinker {

    /** What the agent uses: java.base, logging, the EC provider (Ed25519 and TLS), and O_DIRECT (com.sun.nio.file in jdk.unsupported). */
    public static final List<String> MODULES = List.of("java.base", "java.logging", "jdk.crypto.ec", "jdk.unsupported");

    private final Path cacheRoot;
    private final EventSink events;

    public AgentRuntimeLinker(Path cacheRoot, EventSink events) {
        this.cacheRoot = cacheRoot;
        this.events = events;
    }

    /**
     * @param jdkRoot   where the target's {@code openjdk-NN-jdk-headless} package was unpacked
     * @param jdkDigest that package's SHA-256, the cache key
     */
    public Path link(Path jdkRoot, String jdkDigest) throws IOException {
        Path jmods = findJmods(jdkRoot);
        int targetFeature = featureVersion(jmods.getParent().getFileName().toString());
        int hostFeature = Runtime.version().feature();
        if (targetFeature != hostFeature) {
            throw new FleetkitException("build.jlink-version", "jlink of Java " + hostFeature
                    + " cannot link Java " + targetFeature + " jmods for the device",
                    "run fleet with a Java " + targetFeature + " JDK (JAVA_HOME=/usr/lib/jvm/java-" + targetFeature
                            + "-openjdk-amd64), or pin the device's openjdk-" + hostFeature + "-jdk-headless");
        }
        String key = sha256(jdkDigest + "|" + String.join(",", MODULES) + "|" + Runtime.version());
        Path target = cacheRoot.resolve("jre").resolve(key.substring(0, 32));
        if (Files.isDirectory(target)) {
            return target;
        }
        Files.createDirectories(target.getParent());
        Path work = Files.createTempDirectory(target.getParent(), ".link-");
        Path out = work.resolve("jre");
        Path jlink = Path.of(System.getProperty("java.home"), "bin", "jlink");
        if (!Files.isExecutable(jlink)) {
            throw new FleetkitException("build.no-jlink", "no jlink in " + System.getProperty("java.home")
                    + " (a JRE, not a JDK)", "install openjdk-" + hostFeature + "-jdk-headless and run fleet with it");
        }
        // --strip-debug would run the host's objcopy on the target's libraries, so only Java debug
        // attributes are stripped (FACTS.md).
        List<String> argv = List.of(jlink.toString(), "--module-path", jmods.toString(),
                "--add-modules", String.join(",", MODULES), "--output", out.toString(),
                "--strip-java-debug-attributes", "--no-header-files", "--no-man-pages", "--compress=0");
        events.info("agent", "linking a Java runtime for the device with jlink");
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new FleetkitException("build.jlink-failed", "jlink failed: " + log.strip(),
                        "check that the jmods in " + jmods + " belong to a JDK of the host's feature version");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while linking", e);
        }
        try {
            Files.move(out, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException | AtomicMoveNotSupportedException raced) {
            // Another build linked the same runtime first.
        }
        UnpackedDebs.deleteTree(work);
        return target;
    }

    private static Path findJmods(Path jdkRoot) throws IOException {
        Path jvm = jdkRoot.resolve("usr/lib/jvm");
        try (Stream<Path> dirs = Files.isDirectory(jvm) ? Files.list(jvm) : Stream.empty()) {
            return dirs.map(d -> d.resolve("jmods")).filter(d -> Files.isRegularFile(d.resolve("java.base.jmod")))
                    .findFirst()
                    .orElseThrow(() -> new FleetkitException("build.no-jmods", "no jmods under " + jvm,
                            "the device JDK package must be openjdk-NN-jdk-headless"));
        }
    }

    private static int featureVersion(String jvmDir) {
        // java-17-openjdk-arm64
        String[] parts = jvmDir.split("-");
        try {
            return Integer.parseInt(parts[1]);
        } catch (RuntimeException e) {
            throw new FleetkitException("build.no-jmods", "cannot tell the Java version of " + jvmDir, null);
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
