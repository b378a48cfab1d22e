package io.fleetkit.cli;

import io.fleetkit.ota.server.FleetClient;
import io.fleetkit.ota.server.api.ApiDocs;
import io.fleetkit.ota.server.db.DeviceRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "devices",
        description = {"List the fleet: id, board, version, slot, update state, online, last seen.", "", "Example: fleet devices"})
public final class DevicesCommand implements Callable<Integer> {

    @Mixin
    FleetDataOptions fleet;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        List<DeviceRecord> devices;
        try (FleetClient client = fleet.open(output.events())) {
            devices = client.devices();
        }
        if (output.json) {
            output.printJson(devices.stream().map(DevicesCommand::doc).toList());
            return 0;
        }
        Table t = new Table("ID", "BOARD", "VERSION", "SLOT", "STATE", "ONLINE", "LAST SEEN", "TAGS");
        Instant now = Instant.now();
        for (DeviceRecord d : devices) {
            t.row(d.id(), dash(d.board()), dash(d.version()), dash(d.slot()), state(d), d.online() ? "yes" : "no",
                    ago(d.lastSeen(), now), String.join(",", d.tags()));
        }
        t.print(output.out());
        output.out().printf("%d devices, %d online%n", devices.size(), devices.stream().filter(DeviceRecord::online).count());
        output.out().flush();
        return 0;
    }

    static String state(DeviceRecord d) {
        String s = d.updateState().name();
        if (d.updateTarget() != null && !d.updateState().name().equals("IDLE")) {
            s += " " + d.updateTarget();
        }
        return s;
    }

    static String dash(String s) {
        return s == null ? "-" : s;
    }

    static String ago(Instant t, Instant now) {
        if (t == null) {
            return "never";
        }
        long s = Math.max(0, Duration.between(t, now).getSeconds());
        return s < 60 ? s + "s ago" : s < 3600 ? s / 60 + "m ago" : s < 86400 ? s / 3600 + "h ago" : s / 86400 + "d ago";
    }

    /** A device's JSON, the API's own ({@link ApiDocs#device}). */
    static Map<String, Object> doc(DeviceRecord d) {
        return ApiDocs.device(d);
    }
}
