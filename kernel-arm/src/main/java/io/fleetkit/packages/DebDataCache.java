package io.fleetkit.packages;

import io.fleetkit.debian.DebEntryVisitor;
import io.fleetkit.debian.DebExtractor;
import io.fleetkit.debian.archive.ContentCache;
import io.fleetkit.debian.archive.DerivedEntry;
import io.fleetkit.events.EventSink;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The decompressed data.tar of each .deb, kept in the content cache under the .deb's SHA-256 (the
 * digest its verified index lists), because xz-decoding in Java is most of what unpacking a
 * package costs: ~1 s of every build for busybox, crun and their libraries. The kept tar is read
 * with every check {@link DebExtractor#readData} makes; a damaged entry is decompressed again and
 * replaced; a data.tar too large to hold in memory is streamed from the package as before.
 */
public final class DebDataCache {

    static final String KIND = "deb-data-tar-v1";
    /** A Java array holds at most ~2 GiB; a larger data.tar is streamed instead of kept. */
    static final int MAX_TAR = 1 << 30;

    private final ContentCache cache;
    private final EventSink events;

    public DebDataCache(ContentCache cache, EventSink events) {
        this.cache = cache;
        this.events = events;
    }

    /** As {@link DebExtractor#readData(Path, DebEntryVisitor)}, for the .deb whose SHA-256 is {@code sha256}. */
    public void readData(Path deb, String sha256, DebEntryVisitor visitor) throws IOException {
        String name = deb.getFileName().toString();
        Optional<byte[]> tar = kept(sha256, name);
        if (tar.isEmpty()) {
            tar = DebExtractor.dataTar(deb, MAX_TAR);
            if (tar.isEmpty()) {
                DebExtractor.readData(deb, visitor);
                return;
            }
            try {
                cache.storeDerived(KIND, sha256, tar.get());
            } catch (IOException e) {   // only a lost speed-up: the next build decompresses again
                events.warn("unpack " + name, "could not keep its data in " + cache.derivedPath(KIND, sha256) + ": " + e);
            }
        }
        DebExtractor.readDataTar(new ByteArrayInputStream(tar.get()), name, visitor);
    }

    private Optional<byte[]> kept(String sha256, String name) throws IOException {
        try {
            return cache.readDerived(KIND, sha256, MAX_TAR + 1024L);
        } catch (DerivedEntry.Damaged e) {
            events.warn("unpack " + name, "the kept data " + cache.derivedPath(KIND, sha256) + " is damaged ("
                    + e.getMessage() + "); decompressing the package again");
            return Optional.empty();
        }
    }
}
