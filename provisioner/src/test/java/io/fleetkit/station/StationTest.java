package io.fleetkit.station;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.events.EventSink;
import io.fleetkit.flash.FlashOptions;
import io.fleetkit.flash.ImageSource;
import io.fleetkit.flash.SyntheticImage;
import io.fleetkit.flash.TargetKind;
import io.fleetkit.flash.TargetSafety;
import io.fleetkit.flash.Tools;
import io.fleetkit.flash.WriteInterceptor;
import io.fleetkit.formats.disk.ByteRange;
import io.fleetkit.identity.DeviceIdPattern;
import io.fleetkit.identity.DeviceSettings;
import io.fleetkit.json.JsonParser;
import io.fleetkit.keys.FleetKeys;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StationTest {

    @TempDir
    Path dir;

    private static final WriteInterceptor CARD3_PULLED_AT_8_MIB = (target, offset, length) -> {
        if (target.getFileName().toString().equals("card-3") && offset >= 8 * SyntheticImage.MIB) {
            throw new IOException("injected: card-3 was pulled out");
        }
    };

    @Test
    void writesFourTargetsInParallelAndOneFailingMidwayStopsNoOther() throws Exception {
        SyntheticImage img = SyntheticImage.create(dir, "gateway-1.2.0", 96, 24, false, 21);
        FleetKeys keys = FleetKeys.init(dir.resolve("keys"), Clock.systemUTC());
        List<StationTarget> targets = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            targets.add(new StationTarget(SyntheticImage.patternedTarget(dir.resolve("card-" + i), img.size()),
                    TargetKind.FILE, null));
        }
        List<StationResult> results;
        List<ProvisioningRecord> rows;
        try (StationRecords records = StationRecords.open(dir.resolve("station"))) {
            Station station = new Station(records, keys, new DeviceIdPattern("gw-{seq:05}"), DeviceSettings.none(),
                    FlashOptions.defaults(), TargetSafety.system(), CARD3_PULLED_AT_8_MIB, Clock.systemUTC(), EventSink.NONE);
            results = station.provision(ImageSource.resolve(img.image().toString(), null, false), targets);
            rows = records.all();
        }

        long mapped = img.mappedBlocks().stream().mapToLong(ByteRange::length).sum();
        assertEquals(4, rows.size());
        for (int i = 0; i < 4; i++) {
            ProvisioningRecord r = rows.get(i);
            assertEquals(String.format("gw-%05d", i + 1), r.deviceId());
            assertEquals(targets.get(i).path().toString(), r.target());
            assertEquals("gateway", r.imageName());
            assertEquals("1.2.0", r.imageVersion());
            assertTrue(r.imageDigest().startsWith("bmap-sha256:"), r.imageDigest());
            assertNotNull(r.ended());
            if (i == 2) {
                assertEquals(ProvisioningRecord.FAILED, r.status());
                assertTrue(r.error().contains("card-3 was pulled out"), r.error());
                assertTrue(r.bytesWritten() < mapped, "failed after " + r.bytesWritten());
                assertNull(r.verify());
                assertTrue(!results.get(i).ok());
                continue;
            }
            assertEquals(ProvisioningRecord.DONE, r.status(), r.error());
            assertEquals("PASSED", r.verify());
            assertTrue(r.bytesWritten() >= mapped, r.bytesWritten() + " < " + mapped);
            assertTrue(results.get(i).ok());
            String json = Tools.ok(Tools.require("mtype", "mtools"), "-i", targets.get(i).path() + "@@" + img.bootStart(),
                    "::device.json");
            assertEquals(r.deviceId(), JsonParser.parseObject(json, 4096).get("id"));
            assertEquals(r.certificateSha256(), JsonParser.parseObject(json, 4096).get("certificateSha256"));
        }
    }

    @Test
    void aKilledStationLeavesNoDeviceMarkedGoodAndLosesNoRecord() throws Exception {
        SyntheticImage img = SyntheticImage.create(dir, "gateway-1.2.0", 96, 24, false, 22);
        Path keys = dir.resolve("keys");
        FleetKeys.init(keys, Clock.systemUTC());
        Path stationDir = dir.resolve("station");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), StationProcessMain.class.getName(),
                stationDir.toString(), img.image().toString(), keys.toString()));
        for (int i = 1; i <= 4; i++) {
            command.add(dir.resolve("card-" + i).toString());
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            StringBuilder seen = new StringBuilder();
            while ((line = out.readLine()) != null && !line.equals("WRITING")) {
                seen.append(line).append('\n');
            }
            assertEquals("WRITING", line, "the station process never started writing:\n" + seen);
            p.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        }

        try (StationRecords records = StationRecords.open(stationDir)) {
            List<ProvisioningRecord> rows = records.all();
            assertEquals(4, rows.size(), "every device got its record before its first byte");
            for (ProvisioningRecord r : rows) {
                assertEquals(ProvisioningRecord.INTERRUPTED, r.status(), r.toString());
                assertNull(r.verify());
            }
            // The station carries on in the same directory; device numbers are never reused.
            Station station = new Station(records, FleetKeys.load(keys), new DeviceIdPattern("gw-{seq:05}"),
                    DeviceSettings.none(), FlashOptions.defaults(), TargetSafety.system(), WriteInterceptor.NONE,
                    Clock.systemUTC(), EventSink.NONE);
            station.provision(ImageSource.resolve(img.image().toString(), null, false),
                    List.of(new StationTarget(dir.resolve("card-1"), TargetKind.FILE, null)));
            ProvisioningRecord again = records.all().get(4);
            assertEquals("gw-00005", again.deviceId());
            assertEquals(ProvisioningRecord.DONE, again.status());
        }
    }
}
