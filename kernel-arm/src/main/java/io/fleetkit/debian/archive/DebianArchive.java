package io.fleetkit.debian.archive;

import io.fleetkit.debian.BinaryPackage;
import io.fleetkit.debian.ControlFileParser;
import io.fleetkit.debian.ControlParagraph;
import io.fleetkit.events.EventSink;
import io.fleetkit.events.FleetkitException;
import org.tukaani.xz.XZInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * One suite of a Debian mirror, opened through its signed InRelease: every Packages index it
 * hands out was checked against the signed SHA-256 list, and every {@code .deb} against the digest
 * in that index. Indexes stay compressed in the cache and are parsed as a stream on each pass of
 * {@link #forEachPackage}; {@link #forEachBinaryPackage} keeps them parsed between builds.
 */
public final class DebianArchive {

    /** Receives each package paragraph of each index. */
    @FunctionalInterface
    public interface PackageVisitor {
        void visit(PackagesIndex index, ControlParagraph paragraph);
    }

    /** Receives each package of each index, as {@link BinaryPackage#from} reads its paragraph. */
    @FunctionalInterface
    public interface BinaryPackageVisitor {
        void visit(PackagesIndex index, BinaryPackage p);
    }

    private static final Pattern POOL_PATH = Pattern.compile("[A-Za-z0-9][A-Za-z0-9+~._:/-]*");

    private final ArchiveConfig config;
    private final ContentCache cache;
    private final ArchiveFetcher fetcher;
    private final VerifiedRelease release;
    private final List<PackagesIndex> indexes;
    private final ParsedIndexCache parsedIndexes;

    private DebianArchive(ArchiveConfig config, ContentCache cache, ArchiveFetcher fetcher, VerifiedRelease release,
                          List<PackagesIndex> indexes, EventSink events) {
        this.config = config;
        this.cache = cache;
        this.fetcher = fetcher;
        this.release = release;
        this.indexes = List.copyOf(indexes);
        this.parsedIndexes = new ParsedIndexCache(cache, events);
    }

    public static DebianArchive open(ArchiveConfig config, ContentCache cache, EventSink events) throws IOException {
        return open(config, cache, new ArchiveFetcher(events, config.offline()), events);
    }

    /** Opens several suites (possibly on several mirrors); the caller merges their packages. */
    public static List<DebianArchive> openAll(List<ArchiveConfig> configs, ContentCache cache, EventSink events)
            throws IOException {
        List<DebianArchive> out = new ArrayList<>();
        for (ArchiveConfig c : configs) {
            out.add(open(c, cache, events));
        }
        return out;
    }

    public static DebianArchive open(ArchiveConfig config, ContentCache cache, ArchiveFetcher fetcher, EventSink events)
            throws IOException {
        VerifiedRelease release = new ReleaseSource(config, cache, fetcher, events).verifiedRelease();
        List<PackagesIndex> indexes = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String component : config.components()) {
            for (String arch : config.architectures()) {
                ReleaseFile.FileEntry entry = chooseIndex(release.release(), config, component, arch);
                try {
                    Path file = fetcher.fetchToCache(indexUris(config, release.release(), entry), entry.sha256(),
                            entry.size(), cache, config.suite() + "/" + entry.path());
                    indexes.add(new PackagesIndex(component, arch, entry, file));
                } catch (OfflineMissingException e) {
                    missing.addAll(e.missing());   // list every missing index at once, not one per run
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new OfflineMissingException(missing);
        }
        return new DebianArchive(config, cache, fetcher, release, indexes, events);
    }

    public ArchiveConfig config() {
        return config;
    }

    public VerifiedRelease release() {
        return release;
    }

    public List<PackagesIndex> indexes() {
        return indexes;
    }

    /** Streams every package paragraph; the cached index is re-checked against its signed digest first. */
    public void forEachPackage(PackageVisitor visitor) throws IOException {
        for (PackagesIndex index : indexes) {
            forEachParagraph(index, visitor);
        }
    }

    /**
     * Every package of every index, in index order, as {@link #forEachPackage} with
     * {@link BinaryPackage#from} would give them; each index is parsed once per content and then
     * read from the cache ({@link ParsedIndexCache}).
     */
    public void forEachBinaryPackage(BinaryPackageVisitor visitor) throws IOException {
        for (PackagesIndex index : indexes) {
            for (BinaryPackage p : parsedIndexes.packages(index, this::parse)) {
                visitor.visit(index, p);
            }
        }
    }

    private List<BinaryPackage> parse(PackagesIndex index) throws IOException {
        List<BinaryPackage> out = new ArrayList<>();
        forEachParagraph(index, (i, paragraph) -> out.add(BinaryPackage.from(paragraph)));
        return out;
    }

    private static void forEachParagraph(PackagesIndex index, PackageVisitor visitor) throws IOException {
        String actual = ContentCache.sha256Of(index.file());
        if (!actual.equals(index.entry().sha256())) {
            throw new FleetkitException("debian.digest-mismatch", index.file() + " (" + index.entry().path()
                    + "): expected sha256 " + index.entry().sha256() + ", got " + actual,
                    "the cache was modified; delete " + index.file() + " and run again");
        }
        try (InputStream in = decompressed(index);
             InputStreamReader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            ControlFileParser.parse(reader, p -> visitor.visit(index, p));
        }
    }

    /** All package paragraphs in memory (a full arm64 main index takes a few hundred MB; prefer the visitor). */
    public List<ControlParagraph> packages() throws IOException {
        List<ControlParagraph> out = new ArrayList<>();
        forEachPackage((index, p) -> out.add(p));
        return out;
    }

    public List<ControlParagraph> packages(String component) throws IOException {
        List<ControlParagraph> out = new ArrayList<>();
        forEachPackage((index, p) -> {
            if (index.component().equals(component)) {
                out.add(p);
            }
        });
        return out;
    }

    /** The .deb at {@code Filename} (from a Packages paragraph) in the cache, fetched and checked if needed. */
    public Path fetchDeb(String filenameInPool, String sha256, long size) throws IOException {
        URI uri = poolUri(filenameInPool);
        return fetcher.fetchToCache(List.of(uri), sha256.toLowerCase(java.util.Locale.ROOT), size, cache, filenameInPool);
    }

    /** The mirror URL of a pool file; refuses names that could leave the mirror's tree. */
    public URI poolUri(String filenameInPool) {
        boolean escapes = !POOL_PATH.matcher(filenameInPool).matches() || filenameInPool.contains("//")
                || List.of(filenameInPool.split("/")).stream().anyMatch(s -> s.equals("..") || s.equals("."));
        if (escapes) {
            throw new FleetkitException("debian.path-escape", "package file name '" + filenameInPool
                    + "' would leave the archive root " + config.mirror(), "the index is not usable; report it to the mirror");
        }
        return URI.create(config.mirror() + filenameInPool);
    }

    private static ReleaseFile.FileEntry chooseIndex(ReleaseFile release, ArchiveConfig config, String component,
                                                     String arch) {
        String base = component + "/binary-" + arch + "/Packages";
        for (String suffix : List.of(".xz", ".gz", "")) {
            var entry = release.entry(base + suffix);
            if (entry.isPresent()) {
                return entry.get();
            }
        }
        throw new FleetkitException("debian.index-missing", config.suite() + " at " + config.mirror()
                + " lists no " + base + "(.xz|.gz); it offers components " + release.components()
                + " and architectures " + release.architectures(),
                "check the component and architecture names in the spec");
    }

    /** With Acquire-By-Hash the digest-named copy is tried first: it cannot change under us while the mirror syncs. */
    private static List<URI> indexUris(ArchiveConfig config, ReleaseFile release, ReleaseFile.FileEntry entry) {
        URI plain = config.distsUri().resolve(entry.path());
        if (!release.acquireByHash()) {
            return List.of(plain);
        }
        String dir = entry.path().substring(0, entry.path().lastIndexOf('/') + 1);
        return List.of(config.distsUri().resolve(dir + "by-hash/SHA256/" + entry.sha256()), plain);
    }

    private static InputStream decompressed(PackagesIndex index) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(index.file()), 1 << 16);
        String path = index.entry().path();
        if (path.endsWith(".xz")) {
            return new XZInputStream(raw);
        }
        if (path.endsWith(".gz")) {
            return new GZIPInputStream(raw, 1 << 16);
        }
        return raw;
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
