package io.fleetkit.cli;

import io.fleetkit.ota.server.FleetClient;
import io.fleetkit.ota.server.NetbootAssignmentView;
import io.fleetkit.ota.server.db.NetbootAssignment;
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
        List<NetbootAssignmentView> all;
        try (FleetClient client = database.open(output.events())) {
            all = client.netbootAssignments();
        }
        if (output.json) {
            output.printJson(all.stream().map(NetbootAssignmentsCommand::doc).toList());
            return 0;
        }
        Table t = new Table("KIND", "TARGET", "IMAGE", "DEVICES", "ASSIGNED");
        for (NetbootAssignmentView v : all) {
            NetbootAssignment a = v.assignment();
            t.row(a.kind().label(), a.target(), a.image(), v.devices().isEmpty() ? "-" : String.join(",", v.devices()),
                    a.createdAt().toString());
        }
        t.print(output.out());
        output.out().printf("%d assignments; devices without one netboot the default image%n", all.size());
        output.out().flush();
        return 0;
    }

    /** An assignment's JSON, the API's own ({@link io.fleetkit.ota.server.api.ApiDocs#netbootAssignment}). */
    static Map<String, Object> doc(NetbootAssignmentView v) {
        return io.fleetkit.ota.server.api.ApiDocs.netbootAssignment(v);
    }
}
