package io.fleetkit.ota.server.api;

import com.sun.net.httpserver.HttpExchange;
import io.fleetkit.events.EventSink;
import io.fleetkit.events.FleetkitException;
import io.fleetkit.json.JsonWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The open server-sent event streams ({@code text/event-stream}): at most {@value #MAX_STREAMS} at once (more is
 * 503 {@code api.too-many-streams}), each on a thread of its own so a slow reader never holds one of the API's
 * workers. A stream polls its source every second and sends what changed; a comment line every 2 s when nothing
 * did: only a write finds a reader that went away, so this is what frees its slot within seconds (and keeps proxies
 * from closing a quiet stream), at a few bytes a second. It ends after 45 s, below the JDK server's response time limit,
 * and the client reconnects after the {@code retry} it was told — authenticating again, so a revoked token loses its
 * stream within a minute. Polling the database, not an in-process event bus, is what lets several servers on one
 * database serve the same streams. These timings are {@link StreamCadence#DEFAULT}; tests pass shorter ones.
 */
final class EventStreams implements AutoCloseable {

    static final int MAX_STREAMS = 16;
    static final long RETRY_MILLIS = 1000;

    private final Semaphore slots = new Semaphore(MAX_STREAMS);
    private final Set<HttpExchange> open = ConcurrentHashMap.newKeySet();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final EventSink sink;
    private final StreamCadence cadence;

    EventStreams(StreamCadence cadence, EventSink sink) {
        this.cadence = cadence;
        this.sink = sink;
    }

    /** Starts streaming {@code stream} on {@code ex}, which then belongs to the stream (it closes it). */
    void open(HttpExchange ex, EventStream stream) {
        if (closing.getCount() == 0 || !slots.tryAcquire()) {
            ex.getResponseHeaders().set("Retry-After", "5");
            throw new ApiException(503, "api.too-many-streams", "the server already serves " + MAX_STREAMS + " event streams",
                    "Close another dashboard tab, or try again shortly.");
        }
        open.add(ex);
        Thread t = new Thread(() -> run(ex, stream), "fleet-api-events");
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    private void run(HttpExchange ex, EventStream stream) {
        try {
            ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            write(out, "retry: " + RETRY_MILLIS + "\n\n");
            long start = System.nanoTime();
            long lastWrite = start;
            String last = null;
            while (closing.getCount() > 0 && System.nanoTime() - start < cadence.lifetime().toNanos()) {
                EventStream.Frame f;
                try {
                    f = stream.source().take();
                } catch (FleetkitException e) {
                    write(out, event("error", JsonWriter.write(ApiErrors.body(e.code(), e.getMessage(), e.fix()))));
                    break;
                }
                String json = JsonWriter.write(f.doc());
                if (!json.equals(last)) {
                    write(out, event(stream.event(), json));
                    last = json;
                    lastWrite = System.nanoTime();
                }
                if (f.last()) {
                    write(out, event("end", "{}"));
                    break;
                }
                if (System.nanoTime() - lastWrite >= cadence.heartbeat().toNanos()) {
                    write(out, ": heartbeat\n\n");
                    lastWrite = System.nanoTime();
                }
                if (closing.await(cadence.poll().toMillis(), TimeUnit.MILLISECONDS)) {
                    break;
                }
            }
        } catch (IOException e) {
            sink.debug("api", "event stream to " + ex.getRemoteAddress() + " ended: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            sink.warn("api", "event stream " + ex.getRequestURI().getRawPath() + " failed: " + e);
        } finally {
            ex.close();
            open.remove(ex);
            threads.remove(Thread.currentThread());
            slots.release();
        }
    }

    /** One event; {@code json} is one line (the JSON writer escapes line breaks inside strings). */
    private static String event(String name, String json) {
        return "event: " + name + "\ndata: " + json + "\n\n";
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** How many streams are open (for tests and metrics). */
    int openCount() {
        return open.size();
    }

    /**
     * Ends every stream: each leaves its poll at once. Call after stopping the HTTP server, which closes the
     * connections and so unblocks a writer stuck on a reader that stopped reading.
     */
    @Override
    public void close() {
        closing.countDown();
        for (Thread t : threads) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
