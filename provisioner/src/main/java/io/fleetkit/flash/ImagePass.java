package io.fleetkit.flash;

import io.fleetkit.events.EventSink;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and decodes the image once and writes it to every target in parallel: the shared
 * chunks first, then each target's own (possibly customised) boot partition, then the first
 * MiB with the partition table. A target that fails is dropped; the pass fails as a whole only
 * when the source does.
 */
public final class ImagePass {

    public static final int QUEUE_CHUNKS = 8;

    /** One target of the pass; {@code customiser} is null when its boot partition stays as built. */
    public record Target(String name, TargetWriter writer, BootCustomiser customiser) {
    }

    /** What became of a target: the ranges it wrote, and why it failed (null when it did not). */
    public record Outcome(Target target, List<WrittenRange> written, long bytes, Throwable failure) {
        public boolean ok() {
            return failure == null;
        }
    }

    private final EventSink sink;
    private final long holdLimit;
    private final Duration stallTimeout;

    public ImagePass(EventSink sink, long holdLimit, Duration stallTimeout) {
        this.sink = sink;
        this.holdLimit = holdLimit;
        this.stallTimeout = stallTimeout;
    }

    public List<Outcome> run(ImageSource source, List<Target> targets) throws IOException {
        FlashPlan plan = source.plan();
        boolean customise = targets.stream().anyMatch(t -> t.customiser() != null);
        FanOut fan = new FanOut(stallTimeout);
        List<FanOut.Lane> lanes = new ArrayList<>();
        List<Throwable> early = new ArrayList<>();
        boolean writesSectorZero = plan.wholeImage() || (!plan.ranges().isEmpty() && plan.ranges().get(0).offset() == 0);
        for (Target t : targets) {
            Throwable failure = null;
            try {
                if (writesSectorZero) {
                    t.writer().clearPartitionTable();
                }
            } catch (IOException | RuntimeException e) {
                failure = e;
            }
            early.add(failure);
            lanes.add(failure == null ? fan.add(t.name(), t.writer(), QUEUE_CHUNKS) : null);
        }
        fan.start();
        SourceReader.Held held;
        try (InputStream in = source.openDecoded()) {
            sink.debug("flash", "reading " + source.name() + (source.bmap().isPresent()
                    ? " with bmap " + source.bmapOrigin() : " without bmap: every byte is written"));
            held = new SourceReader(source.name(), holdLimit).read(in, plan, customise, fan);
        } catch (FanOut.AllTargetsFailed e) {
            return outcomes(targets, lanes, early);
        } catch (IOException | RuntimeException e) {
            fan.abort(e);
            throw e;
        }
        List<Chunk> head = held.head().chunks(SourceReader.CHUNK);
        List<Chunk> boot = held.boot() == null ? List.of() : held.boot().chunks(SourceReader.CHUNK);
        for (int i = 0; i < targets.size(); i++) {
            FanOut.Lane lane = lanes.get(i);
            if (lane == null) {
                continue;
            }
            List<Chunk> own = boot;
            if (targets.get(i).customiser() != null) {
                HeldRegion copy = held.boot().copy();
                try {
                    targets.get(i).customiser().customise(copy);
                    own = copy.chunks(SourceReader.CHUNK);
                } catch (IOException | RuntimeException e) {
                    fan.drop(lane, e);
                    continue;
                }
            }
            for (Chunk c : own) {
                fan.accept(lane, c);
            }
            for (Chunk c : head) {
                fan.accept(lane, c);
            }
        }
        fan.finish();
        return outcomes(targets, lanes, early);
    }

    private static List<Outcome> outcomes(List<Target> targets, List<FanOut.Lane> lanes, List<Throwable> early) {
        List<Outcome> out = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            Target t = targets.get(i);
            Throwable failure = lanes.get(i) == null ? early.get(i) : lanes.get(i).failure();
            out.add(new Outcome(t, t.writer().written(), t.writer().bytesWritten(), failure));
        }
        return out;
    }
}
