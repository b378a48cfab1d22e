package io.fleetkit.ota.server.bundles;

import io.fleetkit.events.EventSink;
import io.fleetkit.events.FleetkitException;
import io.fleetkit.ota.bundle.BundleManifest;
import io.fleetkit.ota.bundle.BundleReader;
import io.fleetkit.ota.bundle.VerifiedManifest;
import io.fleetkit.ota.server.db.Database;
import io.fleetkit.ota.server.db.Sql;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Published bundles: verified with the fleet's signing key (signature and every chunk) while they
 * are copied to a temporary file, which is fsynced and moved into {@code <data>/bundles/<sha256>.bundle}
 * ({@link DurableMove}); only then is the bundle recorded in the {@code bundles} table. A name (version label) names one bundle per board; publishing other bytes under a taken
 * name is refused, publishing the same bytes again is a no-op.
 */
public final class BundleStore {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+~-]{0,127}");
    private static final String COLUMNS = "sha256, name, version, version_number, board, size, header_size, chunk_size, chunks, path, published_at";

    private final Database db;
    private final Path dataDir;
    private final PublicKey signingKey;
    private final Clock clock;
    private final EventSink sink;

    public BundleStore(Database db, Path dataDir, PublicKey signingKey, Clock clock, EventSink sink) {
        this.db = db;
        this.dataDir = dataDir;
        this.signingKey = signingKey;
        this.clock = clock;
        this.sink = sink;
    }

    /** Verifies and stores {@code bundle} as {@code name} (default: the manifest's version). */
    public PublishedBundle publish(Path bundle, Optional<String> name) throws IOException, SQLException {
        Path dir = Files.createDirectories(dataDir.resolve("bundles"));
        removeLeftovers(dir);
        Path tmp = Files.createTempFile(dir, ".publish-", ".tmp");
        try {
            MessageDigest sha = sha256();
            VerifiedManifest verified;
            long size;
            try (InputStream raw = Files.newInputStream(bundle);
                 DigestInputStream in = new DigestInputStream(new java.io.BufferedInputStream(raw, 1 << 16), sha);
                 OutputStream out = Files.newOutputStream(tmp)) {
                verified = BundleReader.open(in, signingKey);
                out.write(headerBytes(verified));
                sink.info("publish", "signature of " + bundle + " checks out; verifying " + verified.manifest().chunkCount() + " chunks");
                BundleReader.copyVerified(verified, in, out);
            }
            size = Files.size(tmp);
            BundleManifest m = verified.manifest();
            if (!m.expiresAt().isAfter(clock.instant())) {
                // named by its version, not its path: through the API the path is the server's temporary copy
                throw new FleetkitException("bundle.expired", "bundle " + m.version() + " for " + m.board() + " expired at " + m.expiresAt(),
                        "Build a new bundle; devices refuse expired ones.");
            }
            String label = name.orElse(m.version());
            if (!NAME.matcher(label).matches()) {
                throw new FleetkitException("publish.bad-name", "'" + label + "' is not a version name of [A-Za-z0-9._+~-]",
                        "Pass --as with a name like 2.0.0.");
            }
            String digest = HexFormat.of().formatHex(sha.digest());
            String relative = "bundles/" + digest + ".bundle";
            PublishedBundle record = new PublishedBundle(digest, label, m.version(), m.versionNumber(), m.board(), size,
                    verified.payloadOffset(), m.chunkSize(), m.chunkCount(), relative, clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
            String manifestJson = new String(verified.header().manifestBytes(), StandardCharsets.UTF_8);
            Optional<PublishedBundle> before = db.transaction(c -> alreadyPublished(c, record));
            if (before.isPresent() && Files.isRegularFile(file(before.get()))) {
                sink.info("publish", bundle + " was already published as " + before.get().name());
                return before.get();
            }
            // The file is in place, whole and durable, before its row is committed: a row never names a missing file.
            // A crash between the two leaves a file without a row, which nothing serves; publishing the same bytes again
            // puts the same file in place again and commits the row.
            DurableMove.into(tmp, dataDir.resolve(relative));
            Optional<PublishedBundle> existing = db.transaction(c -> insert(c, record, manifestJson));
            if (existing.isPresent()) {
                sink.info("publish", bundle + " was already published as " + existing.get().name());
                return existing.get();
            }
            return record;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Deletes the temporary files of publishes that died (a crash, {@code kill -9}) more than a day ago: each may be as large as
     * a bundle. A day, because a publish from another process may be writing its temporary file right now.
     */
    private void removeLeftovers(Path dir) throws IOException {
        java.time.Instant dayAgo = clock.instant().minus(java.time.Duration.ofDays(1));
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith(".publish-")
                    && f.getFileName().toString().endsWith(".tmp")).toList()) {
                if (Files.getLastModifiedTime(f).toInstant().isBefore(dayAgo)) {
                    Files.deleteIfExists(f);
                    sink.info("publish", "removed " + f.getFileName() + ", left by a publish that did not finish");
                }
            }
        }
    }

    public List<PublishedBundle> list() throws SQLException {
        return db.transaction(c -> Sql.list(c, "SELECT " + COLUMNS + " FROM bundles ORDER BY published_at, name, board", BundleStore::record));
    }

    public Optional<PublishedBundle> bySha256(String sha256) throws SQLException {
        return db.transaction(c -> bySha256(c, sha256));
    }

    public static Optional<PublishedBundle> bySha256(Connection c, String sha256) throws SQLException {
        return Sql.one(c, "SELECT " + COLUMNS + " FROM bundles WHERE sha256 = ?", BundleStore::record, sha256);
    }

    /** The bundles published as {@code name}, one per board. */
    public static List<PublishedBundle> byName(Connection c, String name) throws SQLException {
        return Sql.list(c, "SELECT " + COLUMNS + " FROM bundles WHERE name = ? ORDER BY board", BundleStore::record, name);
    }

    public Path file(PublishedBundle b) {
        return dataDir.resolve(b.path());
    }

    /** The bundle with these bytes when it is published already; refused when its name is taken by other bytes. */
    private static Optional<PublishedBundle> alreadyPublished(Connection c, PublishedBundle b) throws SQLException {
        Optional<PublishedBundle> same = bySha256(c, b.sha256());
        if (same.isPresent()) {
            return same;
        }
        Optional<PublishedBundle> taken = Sql.one(c, "SELECT " + COLUMNS + " FROM bundles WHERE name = ? AND board = ?",
                BundleStore::record, b.name(), b.board());
        if (taken.isPresent()) {
            throw new FleetkitException("publish.duplicate-version", "version " + b.name() + " for board " + b.board()
                    + " is already published with other bytes (sha256 " + taken.get().sha256() + ", this one " + b.sha256() + ")",
                    "Build with a new version, or publish this one under another name with --as.");
        }
        return Optional.empty();
    }

    private static Optional<PublishedBundle> insert(Connection c, PublishedBundle b, String manifestJson) throws SQLException {
        Optional<PublishedBundle> same = alreadyPublished(c, b);
        if (same.isPresent()) {
            return same;
        }
        Sql.update(c, "INSERT INTO bundles (" + COLUMNS + ", manifest_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                b.sha256(), b.name(), b.version(), b.versionNumber(), b.board(), b.size(), b.headerSize(), b.chunkSize(), b.chunks(),
                b.path(), b.publishedAt().toEpochMilli(), manifestJson);
        return Optional.empty();
    }

    private static byte[] headerBytes(VerifiedManifest v) {
        byte[] manifest = v.header().manifestBytes();
        byte[] signature = v.header().signature();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate((int) v.payloadOffset());
        b.put(io.fleetkit.ota.bundle.BundleFormat.MAGIC).putInt(manifest.length).put(manifest).putInt(signature.length).put(signature);
        return b.array();
    }

    private static PublishedBundle record(ResultSet rs) throws SQLException {
        return new PublishedBundle(rs.getString("sha256"), rs.getString("name"), rs.getString("version"), rs.getLong("version_number"),
                rs.getString("board"), rs.getLong("size"), rs.getLong("header_size"), rs.getInt("chunk_size"), rs.getInt("chunks"),
                rs.getString("path"), Instant.ofEpochMilli(rs.getLong("published_at")));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
