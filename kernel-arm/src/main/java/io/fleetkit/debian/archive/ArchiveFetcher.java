package io.fleetkit.debian.archive;

import io.fleetkit.events.Event;
import io.fleetkit.events.EventSink;
import io.fleetkit.events.FleetkitException;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Downloads archive files over HTTP. Connection failures, truncated bodies and 5xx answers are
 * retried a bounded number of times; a 404 fails at once naming the URL. In offline mode it
 * never touches the network: files come from the {@link ContentCache} or the call fails with
 * {@code debian.offline-missing}.
 */
public final class ArchiveFetcher {

    private static final long PROGRESS_STEP = 1 << 20;

    private final HttpClient client;
    private final EventSink events;
    private final boolean offline;
    private final int maxAttempts;
    private final Duration retryDelay;

    public ArchiveFetcher(EventSink events, boolean offline) {
        this(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(20)).build(), events, offline, 4, Duration.ofSeconds(2));
    }

    public ArchiveFetcher(HttpClient client, EventSink events, boolean offline, int maxAttempts, Duration retryDelay) {
        this.client = client;
        this.events = events;
        this.offline = offline;
        this.maxAttempts = Math.max(1, maxAttempts);
        this.retryDelay = retryDelay;
    }

    public boolean offline() {
        return offline;
    }

    /** A small file (such as InRelease) read into memory; refuses bodies over {@code maxBytes}. */
    public byte[] fetchBytes(URI uri, long maxBytes) throws IOException {
        if (offline) {
            throw new OfflineMissingException(List.of(uri.toString()));
        }
        return withRetries(uri, () -> {
            try (InputStream in = open(uri)) {
                byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
                if (body.length > maxBytes) {
                    throw new FleetkitException("debian.too-large", uri + " is larger than " + maxBytes + " bytes",
                            "check that the mirror URL points at a Debian archive");
                }
                return body;
            }
        });
    }

    /**
     * The cached file with this digest, downloading it from the first of {@code candidates} that
     * exists (later ones are tried on 404) and checking size and digest on the way into the cache.
     */
    public Path fetchToCache(List<URI> candidates, String sha256, long size, ContentCache cache, String name)
            throws IOException {
        Optional<Path> hit = cache.find(sha256);
        if (hit.isPresent()) {
            events.debug("fetch " + name, "cache hit " + sha256);
            return hit.get();
        }
        if (offline) {
            throw new OfflineMissingException(List.of(name + " (" + candidates.get(0) + ")"));
        }
        for (int i = 0; ; i++) {
            URI uri = candidates.get(i);
            try {
                return withRetries(uri, () -> {
                    try (InputStream in = new ProgressStream(open(uri), "fetch " + name, size)) {
                        return cache.store(sha256, size, in, name);
                    }
                });
            } catch (FleetkitException e) {
                if (!e.code().equals("debian.not-found") || i == candidates.size() - 1) {
                    throw e;
                }
                events.debug("fetch " + name, uri + " not found, trying " + candidates.get(i + 1));
            }
        }
    }

    private InputStream open(URI uri) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while fetching " + uri);
        }
        int status = response.statusCode();
        if (status == 200) {
            return response.body();
        }
        response.body().close();
        if (status == 404 || status == 410) {
            throw new FleetkitException("debian.not-found", uri + " does not exist on the mirror (HTTP " + status + ")",
                    "check the mirror URL, suite, component and architecture; the package may have been superseded, so refresh the index");
        }
        if (status >= 500) {
            throw new ServerTrouble(uri + " answered HTTP " + status);
        }
        throw new FleetkitException("debian.http-error", uri + " answered HTTP " + status,
                "check the mirror URL and any HTTP proxy in between");
    }

    private interface Attempt<T> {
        T run() throws IOException;
    }

    /** Retries what a later attempt may fix: refused/reset connections, timeouts, short bodies, 5xx. */
    private <T> T withRetries(URI uri, Attempt<T> attempt) throws IOException {
        IOException last = null;
        for (int n = 1; n <= maxAttempts; n++) {
            try {
                return attempt.run();
            } catch (InterruptedIOException e) {
                throw e;
            } catch (IOException e) {
                last = e;
                if (n < maxAttempts) {
                    events.warn("fetch " + uri, "attempt " + n + " of " + maxAttempts + " failed (" + e + "), retrying");
                    pause();
                }
            }
        }
        throw new FleetkitException("debian.fetch-failed", "could not fetch " + uri + " after " + maxAttempts
                + " attempts: " + last, "check the network connection and the mirror URL, then run again", last);
    }

    private void pause() throws InterruptedIOException {
        try {
            Thread.sleep(retryDelay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to retry");
        }
    }

    /** A 5xx answer: the server may recover, so it counts as a failed attempt. */
    private static final class ServerTrouble extends IOException {
        ServerTrouble(String message) {
            super(message);
        }
    }

    /** Reports bytes read every MiB and at the end. */
    private final class ProgressStream extends FilterInputStream {
        private final String task;
        private final long total;
        private long done;
        private long reported;

        ProgressStream(InputStream in, String task, long total) {
            super(in);
            this.task = task;
            this.total = total;
            events.progress(task, 0, total, Event.Unit.BYTES);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count(b < 0 ? -1 : 1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count(n);
            return n;
        }

        private void count(int n) {
            if (n > 0) {
                done += n;
            }
            if ((n < 0 && reported != done) || done - reported >= PROGRESS_STEP || (done == total && reported != done)) {
                reported = done;
                events.progress(task, done, total, Event.Unit.BYTES);
            }
        }
    }
}
