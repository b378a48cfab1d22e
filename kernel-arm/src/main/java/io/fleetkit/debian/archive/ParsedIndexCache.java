package io.fleetkit.debian.archive;

import io.fleetkit.debian.BinaryPackage;
import io.fleetkit.events.EventSink;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Keeps each verified Packages index parsed, as a {@link ParsedIndexFile} in the content cache
 * keyed by the index's signed SHA-256, so only the first build after an index changes pays for
 * xz decoding and parsing. A missing, damaged or foreign file is parsed again from the index and
 * rewritten; a file that cannot be written costs only the speed-up.
 */
final class ParsedIndexCache {

    /** The format's version is part of the directory name: another format writes elsewhere. */
    static final String KIND = "packages-index-v1";
    /** Far above any real index (bookworm main arm64 parsed: ~12 MB); a larger file is not read into memory. */
    static final long MAX_FILE = 512L << 20;

    /** Parses one index from its verified source, the slow way. */
    @FunctionalInterface
    interface IndexParser {
        List<BinaryPackage> parse(PackagesIndex index) throws IOException;
    }

    private final ContentCache cache;
    private final EventSink events;

    ParsedIndexCache(ContentCache cache, EventSink events) {
        this.cache = cache;
        this.events = events;
    }

    List<BinaryPackage> packages(PackagesIndex index, IndexParser parser) throws IOException {
        String key = index.entry().sha256();
        String task = "index " + index.entry().path();
        Path file = cache.derivedPath(KIND, key);
        try {
            Optional<byte[]> kept = cache.readDerived(KIND, key, MAX_FILE);
            if (kept.isPresent()) {
                List<BinaryPackage> packages = ParsedIndexFile.decode(kept.get());
                events.debug(task, "parsed index from " + file);
                return packages;
            }
        } catch (DerivedEntry.Damaged e) {
            events.warn(task, "the parsed index " + file + " is damaged (" + e.getMessage() + "); parsing the index again");
        }
        List<BinaryPackage> parsed = parser.parse(index);
        try {
            cache.storeDerived(KIND, key, ParsedIndexFile.encode(parsed));
        } catch (IOException e) {   // only a lost speed-up: the next build parses again
            events.warn(task, "could not keep the parsed index in " + file + ": " + e);
        }
        return parsed;
    }
}
