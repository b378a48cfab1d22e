package io.fleetkit.debian.archive;

import io.fleetkit.events.FleetkitException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Files addressed by their SHA-256, under {@code <root>/sha256/<2 hex>/<64 hex>}, plus a few
 * named entries (a suite's last verified InRelease) under {@code <root>/named/}. Every write goes
 * to a temp file in the target directory and is renamed into place only after its size and digest
 * were checked, so readers never see partial or wrong content and two processes storing the same
 * digest at once both end with the same complete file.
 */
public final class ContentCache {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,200}");

    private final Path root;

    public ContentCache(Path root) {
        this.root = root.toAbsolutePath();
    }

    /** {@code $FLEETKIT_CACHE}, else {@code $XDG_CACHE_HOME/fleetkit}, else {@code ~/.cache/fleetkit}. */
    public static ContentCache fromEnvironment() {
        return new ContentCache(defaultRoot(System.getenv(), Path.of(System.getProperty("user.home"))));
    }

    static Path defaultRoot(Map<String, String> env, Path home) {
        String explicit = env.get("FLEETKIT_CACHE");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "fleetkit");
        }
        return home.resolve(".cache/fleetkit");
    }

    public Path root() {
        return root;
    }

    public static boolean isSha256(String s) {
        return s != null && SHA256.matcher(s).matches();
    }

    public Optional<Path> find(String sha256) {
        Path p = pathOf(sha256);
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    /**
     * Copies {@code source} into the cache if its size and SHA-256 are the expected ones.
     * {@code name} (e.g. the archive path) only serves error messages. On a mismatch nothing
     * is kept and {@code debian.digest-mismatch} (or {@code debian.size-mismatch}) is thrown.
     */
    public Path store(String sha256, long size, InputStream source, String name) throws IOException {
        Path target = pathOf(sha256);
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), ".incoming-", ".tmp");
        try {
            MessageDigest md = sha256Digest();
            long total = 0;
            byte[] buf = new byte[1 << 16];
            try (OutputStream out = Files.newOutputStream(tmp)) {
                int n;
                while ((n = source.read(buf)) > 0) {
                    total += n;
                    if (total > size) {   // never let a server feed more than the signed size
                        throw sizeMismatch(name, size, "more than " + size);
                    }
                    md.update(buf, 0, n);
                    out.write(buf, 0, n);
                }
            }
            if (total != size) {
                throw sizeMismatch(name, size, Long.toString(total));
            }
            String actual = HexFormat.of().formatHex(md.digest());
            if (!actual.equals(sha256)) {
                throw new FleetkitException("debian.digest-mismatch",
                        name + ": expected sha256 " + sha256 + ", got " + actual,
                        "the mirror served different content than its signed index lists; retry later or use another mirror");
            }
            moveIntoPlace(tmp, target);
            return target;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Stores a small named entry atomically (replacing an older one); the caller verifies it on every read. */
    public Path storeNamed(String name, byte[] content) throws IOException {
        return writeAtomically(namedPath(name), content);
    }

    public Optional<Path> findNamed(String name) {
        Path p = namedPath(name);
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    /**
     * Where an entry derived from other content lives (a parsed index, a compressed archive):
     * {@code <root>/derived/<kind>/<2 hex>/<64 hex>}, keyed by the SHA-256 of what it was made
     * from. The kind names the entry's format and version, so two formats never overwrite each other.
     */
    public Path derivedPath(String kind, String sourceSha256) {
        if (!NAME.matcher(kind).matches() || kind.startsWith(".")) {
            throw new IllegalArgumentException("bad derived kind: " + kind);
        }
        Path p = pathOf(sourceSha256);
        return root.resolve("derived").resolve(kind).resolve(p.getParent().getFileName()).resolve(p.getFileName());
    }

    /** Stores a derived entry atomically in its {@link DerivedEntry} envelope, replacing an older or damaged one. */
    public Path storeDerived(String kind, String sourceSha256, byte[] content) throws IOException {
        return writeAtomically(derivedPath(kind, sourceSha256), DerivedEntry.wrap(kind, sourceSha256, content));
    }

    /**
     * The content of a derived entry, checked against its envelope; empty when there is none.
     * A damaged entry (or one larger than {@code maxBytes}, which is not read) is a {@link DerivedEntry.Damaged}.
     */
    public Optional<byte[]> readDerived(String kind, String sourceSha256, long maxBytes) throws IOException {
        Path p = derivedPath(kind, sourceSha256);
        if (!Files.isRegularFile(p)) {
            return Optional.empty();
        }
        long size = Files.size(p);
        if (size > maxBytes) {
            throw new DerivedEntry.Damaged(p + " has " + size + " bytes, more than " + maxBytes);
        }
        return Optional.of(DerivedEntry.unwrap(kind, sourceSha256, Files.readAllBytes(p)));
    }

    /** Recomputes the digest of a file, e.g. to re-check a cached file before trusting its content. */
    public static String sha256Of(Path file) throws IOException {
        MessageDigest md = sha256Digest();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private Path pathOf(String sha256) {
        if (!isSha256(sha256)) {
            throw new IllegalArgumentException("not a lower-case hex SHA-256: " + sha256);
        }
        return root.resolve("sha256").resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    private Path namedPath(String name) {
        if (!NAME.matcher(name).matches() || name.startsWith(".")) {
            throw new IllegalArgumentException("bad cache entry name: " + name);
        }
        return root.resolve("named").resolve(name);
    }

    private static Path writeAtomically(Path target, byte[] content) throws IOException {
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), ".incoming-", ".tmp");
        try {
            Files.write(tmp, content);
            moveIntoPlace(tmp, target);
            return target;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** rename(2) replaces atomically; a concurrent writer of the same digest wrote the same bytes. */
    private static void moveIntoPlace(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static FleetkitException sizeMismatch(String name, long expected, String actual) {
        return new FleetkitException("debian.size-mismatch",
                name + ": expected " + expected + " bytes, got " + actual,
                "the mirror served different content than its signed index lists; retry later or use another mirror");
    }

    static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
