package io.fleetkit.cli;

import io.fleetkit.ota.server.db.Database;
import io.fleetkit.ota.server.db.DeviceRecord;
import io.fleetkit.ota.server.db.DeviceStore;
import io.fleetkit.ota.server.db.NetbootAssignment;
import io.fleetkit.ota.server.db.NetbootAssignmentStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "assignments",
        description = {
            "List which image each device or group netboots.",
            "",
            "List the netboot assignments in the fleet database in the order they apply:",
            "device assignments first, then tag assignments, first assigned first. DEVICES",
            "names the known devices each one decides now (a device with its own",
            "assignment is not listed under its tags).",
            "",
            "Examples: fleet netboot assignments",
            "          fleet netboot assignments --json --db=jdbc:postgresql://db/fleet"
        })
public final class NetbootAssignmentsCommand implements Callable<Integer> {

    @Mixin
    NetbootDatabaseOptions database;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        List<NetbootAssignment> all;
        List<DeviceRecord> devices;
        try (Database db = database.open()) {
            all = db.transaction(new NetbootAssignmentStore()::list);
            devices = db.transaction(new DeviceStore()::list);
        }
        if (output.json) {
            output.printJson(all.stream().map(a -> doc(a, decidedBy(all, devices, a))).toList());
            return 0;
        }
        Table t = new Table("KIND", "TARGET", "IMAGE", "DEVICES", "ASSIGNED");
        for (NetbootAssignment a : all) {
            List<DeviceRecord> decided = decidedBy(all, devices, a);
            t.row(a.kind().label(), a.target(), a.image(), decided.isEmpty() ? "-" : String.join(",", decided.stream().map(DeviceRecord::id).toList()),
                    a.createdAt().toString());
        }
        t.print(output.out());
        output.out().printf("%d assignments; devices without one netboot the default image%n", all.size());
        output.out().flush();
        return 0;
    }

    /** The known devices whose netboot image {@code a} decides, by the store's rule. */
    static List<DeviceRecord> decidedBy(List<NetbootAssignment> all, List<DeviceRecord> devices, NetbootAssignment a) {
        return devices.stream().filter(d -> NetbootAssignmentStore.decide(all, d.id(), d.tags()).filter(a::equals).isPresent()).toList();
    }

    static Map<String, Object> doc(NetbootAssignment a, List<DeviceRecord> decided) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", a.kind().label());
        m.put("target", a.target());
        m.put("image", a.image());
        m.put("order", a.seq());
        m.put("assignedAt", a.createdAt().toString());
        m.put("devices", decided.stream().map(DeviceRecord::id).toList());
        return m;
    }
}
