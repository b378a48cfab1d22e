package io.fleetkit.build.agent;

import io.fleetkit.events.EventSink;
import io.fleetkit.events.FleetkitException;
import io.fleetkit.ota.bundle.BundleSigner;
import io.fleetkit.ota.bundle.SigningKey;
import io.fleetkit.packages.UnpackedDebs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The update agent as it goes into images: the jlinked runtime ({@code jre/}) and the agent's
 * jars ({@code agent/}), assembled once into the cache with a {@link PackageManifest} signed by
 * the fleet's update key. Every build checks that signature and every file against the manifest
 * before a byte goes into an image, so a cache shared between build machines cannot slip a
 * changed runtime or agent into a signed image. The image carries the manifest and signature too.
 */
public final class AgentPackage {

    public static final String RUNTIME = "jre";
    public static final String JARS = "agent";
    public static final String MANIFEST = "agent.manifest";
    public static final String SIGNATURE = "agent.manifest.sig";

    private final Path dir;
    private final byte[] manifest;
    private final byte[] signature;

    private AgentPackage(Path dir, byte[] manifest, byte[] signature) {
        this.dir = dir;
        this.manifest = manifest;
        this.signature = signature;
    }

    /** The package for this runtime, these jars and this key: from the cache, verified, or assembled and signed now. */
    public static AgentPackage obtain(Path cacheRoot, Path runtime, Map<String, byte[]> jars, SigningKey key, EventSink events)
            throws IOException {
        MessageDigest d = sha256();
        d.update(runtime.getFileName().toString().getBytes(StandardCharsets.UTF_8));
        jars.forEach((name, bytes) -> {
            d.update(name.getBytes(StandardCharsets.UTF_8));
            d.update(sha256().digest(bytes));
        });
        d.update(key.keyId().getBytes(StandardCharsets.UTF_8));
        Path target = cacheRoot.resolve("agent-packages").resolve(HexFormat.of().formatHex(d.digest()).substring(0, 32));
        if (!Files.isDirectory(target)) {
            assemble(target, runtime, jars, key, events);
        }
        return verify(target, key.publicKey());
    }

    /** Opens a package directory, checking the signature by {@code trusted} and every file against the signed manifest. */
    public static AgentPackage verify(Path dir, PublicKey trusted) throws IOException {
        Path content = dir.resolve("content");
        byte[] signed = readSmall(dir.resolve(MANIFEST));
        byte[] sig = readSmall(dir.resolve(SIGNATURE));
        if (!BundleSigner.verify(signed, sig, trusted)) {
            throw new FleetkitException("build.agent-signature", "the agent package " + dir
                    + " is not signed by this fleet's update key", "delete " + dir + "; the next build assembles and signs it again");
        }
        byte[] actual = PackageManifest.of(content);
        if (!java.util.Arrays.equals(signed, actual)) {
            throw new FleetkitException("build.agent-tampered", "the agent package " + dir + " differs from its signed manifest: "
                    + PackageManifest.firstDifference(signed, actual),
                    "find out who changed the build cache, then delete " + dir + " so the next build assembles it again");
        }
        return new AgentPackage(content, signed, sig);
    }

    public Path runtime() {
        return dir.resolve(RUNTIME);
    }

    public Path jars() {
        return dir.resolve(JARS);
    }

    public byte[] manifest() {
        return manifest.clone();
    }

    public byte[] signature() {
        return signature.clone();
    }

    private static void assemble(Path target, Path runtime, Map<String, byte[]> jars, SigningKey key, EventSink events)
            throws IOException {
        events.info("agent", "assembling and signing the agent package");
        Files.createDirectories(target.getParent());
        Path work = Files.createTempDirectory(target.getParent(), ".assemble-");
        try {
            Path content = work.resolve("content");
            copyTree(runtime, content.resolve(RUNTIME));
            Path jarDir = Files.createDirectories(content.resolve(JARS));
            for (Map.Entry<String, byte[]> jar : jars.entrySet()) {
                Files.write(jarDir.resolve(jar.getKey()), jar.getValue());
            }
            byte[] manifest = PackageManifest.of(content);
            Files.write(work.resolve(MANIFEST), manifest);
            Files.write(work.resolve(SIGNATURE), BundleSigner.sign(manifest, key.privateKey()));
            try {
                Files.move(work, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException | AtomicMoveNotSupportedException raced) {
                // another build assembled the same package first; it is verified like any other
            }
        } finally {
            if (Files.exists(work)) {
                UnpackedDebs.deleteTree(work);
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.sorted().toList()) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isSymbolicLink(p)) {
                    Files.createSymbolicLink(dest, Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static byte[] readSmall(Path f) throws IOException {
        if (!Files.isRegularFile(f) || Files.size(f) > 16 << 20) {
            throw new FleetkitException("build.agent-tampered", "the agent package is missing " + f + " (or it is not a small file)",
                    "delete " + f.getParent() + "; the next build assembles and signs it again");
        }
        return Files.readAllBytes(f);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
