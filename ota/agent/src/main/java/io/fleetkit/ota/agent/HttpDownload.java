package io.fleetkit.ota.agent;

import io.fleetkit.ota.bundle.BundleRefusedException;
import io.fleetkit.ota.bundle.ChunkVerifier;
import io.fleetkit.ota.bundle.VerifiedManifest;
import io.fleetkit.ota.protocol.BundleRef;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;

/**
 * The download of one bundle over HTTP with {@code Range} requests (the desired update's
 * {@code url}), on a thread of its own: the signed header first (handed to the agent to verify),
 * then the payload from the first chunk not yet written, as ranged streams read chunk by chunk:
 * one stream for each run of chunks the device does not hold already ({@link LocalChunks}; those
 * are read from the running slot and verified the same way, a delta update). Each chunk is verified against the manifest here (once; the agent's thread only writes
 * it), then handed to the agent's thread to be written and recorded. A broken stream is resumed
 * with a new range from the next chunk; after {@link #ATTEMPTS} failures in a row without
 * progress the agent is told to fall back to MQTT chunks. Uses {@link HttpURLConnection} (module
 * java.base), so the agent's runtime needs no HTTP client module.
 */
final class HttpDownload implements Runnable {

    static final int ATTEMPTS = 3;
    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final int READ_TIMEOUT_MS = 30_000;

    /** Where the download delivers (as every download does) and how it ended, which it reports from its own thread; each call runs on the agent's thread. */
    interface Receiver extends DownloadReceiver {
        void refused(BundleRefusedException e) throws Exception;

        void failed(String why) throws Exception;
    }

    private final URL url;
    private final BundleRef bundle;
    /** The device's certificate and the fleet CA for an https:// URL (the server's bundle port requires them); null: the JDK's defaults. */
    private final javax.net.ssl.SSLSocketFactory tls;
    private final ExecutorService loop;
    private final Receiver receiver;
    private final ChunkDownload.LocalIndex localIndex;
    private LocalChunks local;
    private VerifiedManifest verified;
    private int next;
    private volatile boolean stopped;

    /** {@code verified} is the saved header when resuming (null: fetch it first), {@code next} the first chunk not written. */
    HttpDownload(URL url, javax.net.ssl.SSLSocketFactory tls, BundleRef bundle, VerifiedManifest verified, int next, ExecutorService loop,
                 Receiver receiver, ChunkDownload.LocalIndex localIndex) {
        this.url = url;
        this.localIndex = localIndex;
        this.tls = tls;
        this.bundle = bundle;
        this.verified = verified;
        this.next = next;
        this.loop = loop;
        this.receiver = receiver;
    }

    void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        int failures = 0;
        String last = null;
        while (!stopped && failures < ATTEMPTS) {
            int before = next;
            try {
                if (verified == null) {
                    byte[] header = fetchHeader();
                    verified = onLoop(() -> receiver.header(header));
                }
                if (verified != null) {
                    stream();
                }
                return;
            } catch (BundleRefusedException e) {
                onLoopQuietly(() -> {
                    receiver.refused(e);
                    return null;
                });
                return;
            } catch (IOException e) {
                last = e.getMessage();
                failures = next > before ? 1 : failures + 1;
                pause(failures);
            } catch (StoppedException e) {
                return;
            }
        }
        if (!stopped) {
            String why = url + " failed " + ATTEMPTS + " times without progress: " + last;
            onLoopQuietly(() -> {
                receiver.failed(why);
                return null;
            });
        }
    }

    private byte[] fetchHeader() throws IOException {
        HttpURLConnection c = open(0, bundle.headerSize() - 1);
        try (InputStream in = c.getInputStream()) {
            byte[] b = in.readNBytes((int) bundle.headerSize());
            if (b.length != bundle.headerSize()) {
                throw new IOException(url + " ended after " + b.length + " of the header's " + bundle.headerSize() + " bytes");
            }
            return b;
        } finally {
            c.disconnect();
        }
    }

    private void stream() throws IOException {
        ChunkVerifier v = verified.chunkVerifier();
        if (local == null) {
            VerifiedManifest m = verified;
            int from = next;
            local = onLoop(() -> localIndex.of(m, from)); // it tells the agent's state machine, on the agent's thread
        }
        while (next < v.chunkCount() && !stopped) {
            byte[] held = local.has(next) ? local.readVerified(next, v) : null;
            if (held != null) {
                deliver(next, held);
                continue;
            }
            int end = next + 1;
            while (end < v.chunkCount() && !local.has(end)) {
                end++;
            }
            streamRun(v, end);
        }
    }

    private void deliver(int index, byte[] data) throws IOException {
        if (!onLoop(() -> receiver.chunk(index, data))) {
            throw new StoppedException();
        }
        next++;
    }

    /** Downloads chunks {@code next..end-1} as one ranged stream. */
    private void streamRun(ChunkVerifier v, int end) throws IOException {
        long last = end < v.chunkCount() ? bundle.chunkOffset(end) - 1 : bundle.size() - 1;
        HttpURLConnection c = open(bundle.chunkOffset(next), last);
        try (InputStream in = c.getInputStream()) {
            while (next < end && !stopped) {
                int len = v.chunkLength(next);
                // straight into one array: readNBytes(len) would gather 8 KiB pieces and copy them again
                byte[] data = new byte[len];
                int got = in.readNBytes(data, 0, len);
                if (got != len) {
                    throw new IOException(url + " ended inside chunk " + next + " (" + got + " of " + len + " bytes)");
                }
                v.verify(next, data);
                deliver(next, data);
            }
        } finally {
            c.disconnect();
        }
    }

    /** A GET for bytes {@code first..last}; only a 206 with exactly that range is accepted. */
    private HttpURLConnection open(long first, long last) throws IOException {
        HttpURLConnection c = (HttpURLConnection) url.openConnection();
        if (tls != null && c instanceof javax.net.ssl.HttpsURLConnection https) {
            https.setSSLSocketFactory(tls);
        }
        c.setConnectTimeout(CONNECT_TIMEOUT_MS);
        c.setReadTimeout(READ_TIMEOUT_MS);
        c.setRequestProperty("Range", "bytes=" + first + "-" + last);
        int status = c.getResponseCode();
        String range = c.getHeaderField("Content-Range");
        String expected = "bytes " + first + "-" + last + "/" + bundle.size();
        if (status != 206 || range == null || !range.strip().equals(expected)) {
            c.disconnect();
            throw new IOException(url + " answered " + status + " (" + range + ") to a request for " + expected);
        }
        return c;
    }

    private <T> T onLoop(Callable<T> work) throws IOException {
        if (stopped) {
            throw new StoppedException();
        }
        try {
            return loop.submit(work).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoppedException();
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new StoppedException();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof BundleRefusedException r) {
                throw r;
            }
            if (e.getCause() instanceof IOException io) {
                throw new StoppedException(io);
            }
            throw new StoppedException(e.getCause());
        }
    }

    private void onLoopQuietly(Callable<Void> work) {
        try {
            onLoop(work);
        } catch (IOException | RuntimeException e) {
            // the agent stopped or moved on
        }
    }

    private void pause(int failures) {
        try {
            Thread.sleep(500L * failures);
        } catch (InterruptedException e) {
            stopped = true;
            Thread.currentThread().interrupt();
        }
    }

    /** The agent no longer wants this download (a new target, a cancel, a power cut), or could not take a chunk. */
    private static final class StoppedException extends RuntimeException {
        StoppedException() {
            super("stopped");
        }

        StoppedException(Throwable cause) {
            super(cause == null ? "stopped" : cause.getMessage(), cause);
        }
    }
}
