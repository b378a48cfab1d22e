package io.fleetkit.cli;

import io.fleetkit.events.EventSink;
import io.fleetkit.events.UsageException;
import io.fleetkit.flash.FlashOptions;
import io.fleetkit.flash.ImageSource;
import io.fleetkit.flash.TargetKind;
import io.fleetkit.flash.TargetSafety;
import io.fleetkit.flash.WriteInterceptor;
import io.fleetkit.identity.DeviceIdPattern;
import io.fleetkit.keys.FleetKeys;
import io.fleetkit.station.ComputeModuleBoot;
import io.fleetkit.station.DeviceWatcher;
import io.fleetkit.station.Station;
import io.fleetkit.station.StationRecords;
import io.fleetkit.station.StationResult;
import io.fleetkit.station.StationTarget;
import io.fleetkit.station.WatchLoop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "station", mixinStandardHelpOptions = true,
        description = {
            "Run a factory station: flash many cards at once, each with its own identity.",
            "",
            "Factory provisioning: write one image to several cards at once (read and decompressed once),",
            "give each device its own id, key pair and certificate from the fleet CA (the key goes onto the",
            "card only), read every card back, and record each in an H2 database in --dir.",
            "",
            "Examples: fleet station --image out/gateway-1.0.0.img.xz --keys keys --devices /dev/sdb,/dev/sdc",
            "          fleet station --image out/gateway-1.0.0.img.xz --keys keys --watch --id-pattern gw-{seq:05}",
            "          fleet station report --csv"
        },
        subcommands = StationReportCommand.class)
public final class StationCommand implements Callable<Integer> {

    @Option(names = "--image", paramLabel = "IMAGE", description = "The image (path, base name or URL).")
    String image;

    @Option(names = "--devices", split = ",", paramLabel = "DEV", description = "Block devices or files to write now.")
    List<Path> devices = new ArrayList<>();

    @Option(names = "--watch", description = "Wait for cards (and Compute Modules via rpiboot) to be inserted and write each batch.")
    boolean watch;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "station", description = "Station directory with the records (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--id-pattern", paramLabel = "PATTERN", defaultValue = "dev-{seq:05}",
            description = "Device ids: {seq}, {seq:05} (counter kept in the records), {serial} (default: ${DEFAULT-VALUE}).")
    String idPattern;

    @Option(names = "--keys", paramLabel = "DIR", description = "The fleet keys (fleet keys init); the CA issues device certificates.")
    Path keys;

    @Mixin
    FlashWriteOptions write;

    @Mixin
    DeviceSettingOptions settings;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        if (image == null || keys == null) {
            throw new UsageException("station.usage", "--image and --keys are required", "e.g. fleet station --image out/gw-1.0.0.img --keys keys --watch");
        }
        if (devices.isEmpty() == !watch) {
            throw new UsageException("station.usage", "give either --devices or --watch", "e.g. --devices /dev/sdb,/dev/sdc");
        }
        Files.createDirectories(dir);
        EventSink sink = output.events();
        DeviceIdPattern pattern = new DeviceIdPattern(idPattern);
        FlashOptions options = write.toFlashOptions();
        TargetSafety safety = TargetSafety.system();
        try (StationRecords records = StationRecords.open(dir)) {
            // Checked against the image once: every card gets these, and its own id as host name unless one is given.
            Station station = new Station(records, FleetKeys.load(keys), pattern,
                    settings.toSettings(null, ImageSource.resolve(image, write.bmap, false)), options, safety,
                    WriteInterceptor.NONE, Clock.systemUTC(), sink);
            if (watch) {
                new WatchLoop(station, new DeviceWatcher(safety, write.allowFixed), ComputeModuleBoot.system(), Duration.ofSeconds(1),
                        Duration.ofSeconds(3), sink).run(() -> ImageSource.resolve(image, write.bmap, false), () -> false);
                return 0;
            }
            List<StationTarget> targets = new ArrayList<>();
            for (Path d : devices) {
                TargetKind kind = TargetKind.of(d);
                String serial = kind == TargetKind.BLOCK_DEVICE ? safety.describe(d.toRealPath().getFileName().toString()).serial() : null;
                targets.add(new StationTarget(d, kind, serial));
            }
            long started = System.nanoTime();
            List<StationResult> results = station.provision(ImageSource.resolve(image, write.bmap, false), targets);
            double seconds = (System.nanoTime() - started) / 1e9;
            print(results, seconds);
            return results.stream().allMatch(StationResult::ok) ? 0 : 1;
        }
    }

    private void print(List<StationResult> results, double seconds) {
        if (output.json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (StationResult r : results) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("record", r.recordId());
                m.put("deviceId", r.deviceId());
                m.put("target", r.target().toString());
                m.put("bytesWritten", r.bytesWritten());
                m.put("ok", r.ok());
                m.put("error", r.error());
                rows.add(m);
            }
            output.printJson(Map.of("seconds", seconds, "devices", rows));
            return;
        }
        Table t = new Table("RECORD", "DEVICE", "TARGET", "WRITTEN", "RESULT");
        for (StationResult r : results) {
            t.row(Long.toString(r.recordId()), r.deviceId(), r.target().toString(), ByteSize.format(r.bytesWritten()),
                    r.ok() ? "done, verified" : "FAILED: " + r.error());
        }
        t.print(output.out());
        output.out().printf("%d of %d devices done in %.1f s%n", results.stream().filter(StationResult::ok).count(), results.size(), seconds);
        output.out().flush();
    }
}
