package io.fleetkit.debian.archive;

import io.fleetkit.events.EventSink;
import io.fleetkit.events.FleetkitException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;

/**
 * Gets a suite's InRelease and verifies it: online from the mirror (then keeps the signed file
 * in the cache), offline from the cache, where it is verified again on every use so that an
 * expired {@code Valid-Until} is noticed.
 */
final class ReleaseSource {

    private static final long MAX_INRELEASE = 32L << 20;

    private final ArchiveConfig config;
    private final ContentCache cache;
    private final ArchiveFetcher fetcher;
    private final EventSink events;

    ReleaseSource(ArchiveConfig config, ContentCache cache, ArchiveFetcher fetcher, EventSink events) {
        this.config = config;
        this.cache = cache;
        this.fetcher = fetcher;
        this.events = events;
    }

    VerifiedRelease verifiedRelease() throws IOException {
        String url = config.distsUri().resolve("InRelease").toString();
        String key = cacheName();
        InReleaseVerifier verifier = new InReleaseVerifier(OpenPgpKeyring.load(config.keyring()), config.clock());
        VerifiedRelease release;
        if (config.offline() || fetcher.offline()) {
            Optional<java.nio.file.Path> cached = cache.findNamed(key);
            if (cached.isEmpty()) {
                throw new OfflineMissingException(List.of(url));
            }
            release = verifier.verify(Files.readAllBytes(cached.get()), url + " (cached " + cached.get() + ")");
            events.info("release " + config.suite(), "using cached InRelease from " + release.release().date()
                    .map(Object::toString).orElse("an unknown date"));
        } else {
            byte[] signed = fetcher.fetchBytes(config.distsUri().resolve("InRelease"), MAX_INRELEASE);
            release = verifier.verify(signed, url);
            cache.storeNamed(key, signed);
        }
        checkSuite(release.release(), url);
        events.info("release " + config.suite(), url + " signed by " + release.signerFingerprint());
        return release;
    }

    /** A correctly signed InRelease of another suite must not stand in for this one (mix-and-match). */
    private void checkSuite(ReleaseFile release, String url) {
        if (!config.suite().equals(release.suite()) && !config.suite().equals(release.codename())) {
            throw new FleetkitException("debian.suite-mismatch", url + " is for suite " + release.suite()
                    + " (" + release.codename() + "), not " + config.suite(),
                    "the mirror serves the wrong file; use another mirror");
        }
    }

    /** Readable, and unique per mirror and suite through a short digest of both. */
    String cacheName() {
        String readable = (config.mirror().getHost() + config.mirror().getPath() + config.suite())
                .replaceAll("[^A-Za-z0-9.-]+", "_");
        byte[] d = ContentCache.sha256Digest().digest((config.mirror() + " " + config.suite()).getBytes(StandardCharsets.UTF_8));
        return "InRelease-" + readable + "-" + DebianArchive.hex(d).substring(0, 12);
    }
}
