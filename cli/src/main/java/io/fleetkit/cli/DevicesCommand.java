package io.fleetkit.cli;

import io.fleetkit.ota.protocol.UpdateState;
import io.fleetkit.ota.server.FleetClient;
import io.fleetkit.ota.server.db.DevicePage;
import io.fleetkit.ota.server.db.DeviceQuery;
import io.fleetkit.ota.server.rollout.DeviceSelector;
import io.fleetkit.ota.server.api.ApiDocs;
import io.fleetkit.ota.server.db.DeviceRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "devices",
        description = {"List the fleet: id, board, version, slot, update state, online, last seen.", "",
            "Filters narrow the list; all given must match. Works on this machine's fleet database, or through a fleet",
            "server's API with --server (or FLEET_SERVER) and an API token in FLEET_TOKEN.", "",
            "Examples: fleet devices",
            "          fleet devices --select version=1.0.0,tag=lab --online",
            "          fleet devices --server https://fleet.example:8443 --ca ca.crt"})
public final class DevicesCommand implements Callable<Integer> {

    @Mixin
    FleetOptions fleet;

    @Option(names = "--select", paramLabel = "KEY=VALUE,..", description = "Only devices matching board=, version=, tag= (as `fleet rollout --select`).")
    String select;

    @Option(names = "--state", paramLabel = "STATE", description = "Only devices in this update state: ${COMPLETION-CANDIDATES}.")
    UpdateState state;

    @Option(names = "--online", negatable = true, description = "Only devices online (--no-online: only those offline).")
    Boolean online;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        List<DeviceRecord> devices;
        try (FleetClient client = fleet.open(output.events())) {
            devices = filtered() ? matching(client) : client.devices();
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

    private boolean filtered() {
        return select != null || state != null || online != null;
    }

    /** Every device matching the filters, page by page (the server filters, so a remote fleet sends only these). */
    private List<DeviceRecord> matching(FleetClient client) throws java.io.IOException {
        List<DeviceRecord> out = new java.util.ArrayList<>();
        DeviceSelector s = DeviceSelector.parse(select);
        DeviceQuery q = new DeviceQuery(s.board(), s.version(), state, s.tag(), online, null, DeviceQuery.MAX_LIMIT);
        for (DevicePage page = client.devices(q); ; page = client.devices(q)) {
            out.addAll(page.devices());
            if (page.next() == null) {
                return out;
            }
            q = q.after(page.next());
        }
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
