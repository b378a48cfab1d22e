package io.fleetkit.station;

import io.fleetkit.events.EventSink;
import io.fleetkit.flash.FlashOptions;
import io.fleetkit.flash.ImageSource;
import io.fleetkit.flash.TargetKind;
import io.fleetkit.flash.TargetSafety;
import io.fleetkit.flash.WriteInterceptor;
import io.fleetkit.identity.DeviceIdPattern;
import io.fleetkit.identity.DeviceSettings;
import io.fleetkit.keys.FleetKeys;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A station in its own JVM, for the test that kills it with SIGKILL during writes: prints
 * WRITING once the first chunk is about to be written and slows every write down, so the kill
 * lands while all targets are being written. Arguments: station dir, image, keys dir, targets.
 */
public final class StationProcessMain {

    private StationProcessMain() {
    }

    public static void main(String[] args) throws Exception {
        AtomicBoolean announced = new AtomicBoolean();
        WriteInterceptor slow = (target, offset, length) -> {
            if (announced.compareAndSet(false, true)) {
                System.out.println("WRITING");
                System.out.flush();
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        List<StationTarget> targets = new ArrayList<>();
        for (String t : Arrays.copyOfRange(args, 3, args.length)) {
            targets.add(new StationTarget(Path.of(t), TargetKind.FILE, null));
        }
        try (StationRecords records = StationRecords.open(Path.of(args[0]))) {
            new Station(records, FleetKeys.load(Path.of(args[2])), new DeviceIdPattern("gw-{seq:05}"), DeviceSettings.none(),
                    FlashOptions.defaults(), TargetSafety.system(), slow, Clock.systemUTC(), EventSink.NONE)
                    .provision(ImageSource.resolve(args[1], null, false), targets);
        }
        System.out.println("FINISHED");
    }
}
