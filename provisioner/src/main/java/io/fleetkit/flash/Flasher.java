package io.fleetkit.flash;

import io.fleetkit.events.Event;
import io.fleetkit.events.EventSink;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Flashes one image to one target: safety checks (block devices), the mapped ranges written
 * with their checksums checked from the source, the partition table last, fsync, then a
 * read-back of everything written. {@link #write} and {@link #verify} are also callable apart.
 */
public final class Flasher {

    public static final String WRITE = "write";
    public static final String VERIFY = "verify";

    private final EventSink sink;
    private final TargetSafety safety;
    private final WriteInterceptor interceptor;

    public Flasher(EventSink sink) {
        this(sink, TargetSafety.system(), WriteInterceptor.NONE);
    }

    public Flasher(EventSink sink, TargetSafety safety, WriteInterceptor interceptor) {
        this.sink = sink;
        this.safety = safety;
        this.interceptor = interceptor;
    }

    public FlashResult flash(ImageSource source, Path target, FlashOptions options) throws IOException {
        WrittenImage written = write(source, target, options);
        VerifyResult verified = options.verify() ? verify(written) : null;
        return new FlashResult(written, verified);
    }

    public WrittenImage write(ImageSource source, Path target, FlashOptions options) throws IOException {
        TargetKind kind = TargetKind.of(target);
        if (kind == TargetKind.BLOCK_DEVICE) {
            safety.check(target, source.imageSize(), options.allowFixed());
        }
        long started = System.nanoTime();
        sink.accept(new Event.PhaseStarted(WRITE, WRITE));
        try (TargetWriter writer = TargetWriter.open(target, kind == TargetKind.BLOCK_DEVICE, interceptor, sink, WRITE,
                source.plan().bytesToWrite(), source.imageSize())) {
            ImagePass pass = new ImagePass(sink, options.holdLimit(), options.stallTimeout());
            ImagePass.Outcome outcome = pass.run(source, List.of(new ImagePass.Target(target.toString(), writer,
                    options.customiser()))).get(0);
            if (!outcome.ok()) {
                rethrow(outcome.failure());
            }
            long nanos = System.nanoTime() - started;
            sink.accept(new Event.PhaseFinished(WRITE, WRITE, nanos));
            return new WrittenImage(target, kind, outcome.written(), outcome.bytes(), nanos);
        }
    }

    public VerifyResult verify(WrittenImage written) throws IOException {
        sink.accept(new Event.PhaseStarted(VERIFY, VERIFY));
        VerifyResult r = new TargetVerifier(sink, VERIFY).verify(written.target(), written.ranges());
        sink.accept(new Event.PhaseFinished(VERIFY, VERIFY, r.nanos()));
        return r;
    }

    static void rethrow(Throwable t) throws IOException {
        if (t instanceof IOException io) {
            throw io;
        }
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error er) {
            throw er;
        }
        throw new IOException(t);
    }
}
