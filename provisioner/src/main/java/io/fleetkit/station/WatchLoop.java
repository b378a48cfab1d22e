package io.fleetkit.station;

import io.fleetkit.events.EventSink;
import io.fleetkit.flash.BlockDevice;
import io.fleetkit.flash.ImageSource;
import io.fleetkit.flash.TargetKind;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The station's {@code --watch} mode: waits for disks to be inserted (and Compute Modules in USB
 * boot mode, exposed with rpiboot), gathers the ones that arrive within {@code settle} of each
 * other into one batch, provisions the batch from one pass over the image, and goes on.
 */
public final class WatchLoop {

    private final Station station;
    private final DeviceWatcher watcher;
    private final ComputeModuleBoot modules;
    private final Duration poll;
    private final Duration settle;
    private final EventSink sink;

    public WatchLoop(Station station, DeviceWatcher watcher, ComputeModuleBoot modules, Duration poll, Duration settle,
                     EventSink sink) {
        this.station = station;
        this.watcher = watcher;
        this.modules = modules;
        this.poll = poll;
        this.settle = settle;
        this.sink = sink;
    }

    /** Runs until {@code stop} says so; {@code image} resolves the image afresh for each batch. */
    public void run(ImageSourceFactory image, BooleanSupplier stop) throws IOException, InterruptedException {
        watcher.baseline();
        sink.info("station", "waiting for cards; insert one or more");
        while (!stop.getAsBoolean()) {
            if (!modules.waiting().isEmpty()) {
                modules.expose(sink);
            }
            List<BlockDevice> batch = new ArrayList<>(watcher.poll());
            if (batch.isEmpty()) {
                Thread.sleep(poll.toMillis());
                continue;
            }
            Thread.sleep(settle.toMillis());
            batch.addAll(watcher.poll());
            List<StationTarget> targets = new ArrayList<>();
            for (BlockDevice d : batch) {
                targets.add(new StationTarget(d.path(), TargetKind.BLOCK_DEVICE, d.serial()));
            }
            sink.info("station", "provisioning " + targets.size() + " device(s): "
                    + String.join(", ", batch.stream().map(BlockDevice::name).toList()));
            try {
                station.provision(image.open(), targets);
            } catch (IOException | RuntimeException e) {
                sink.warn("station", "batch failed: " + Station.describe(e));
            }
        }
    }

    /** Opens the image for a batch. */
    @FunctionalInterface
    public interface ImageSourceFactory {
        ImageSource open() throws IOException;
    }
}
