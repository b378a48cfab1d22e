package io.fleetkit.cli;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.ota.server.FleetClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "unassign",
        description = {
            "Remove a device's or a group's netboot image assignment.",
            "",
            "Remove an assignment made with `fleet netboot assign`. The devices it decided",
            "fall back to their next assignment (another tag of theirs), else to the",
            "default image of `netboot serve`.",
            "",
            "Examples: fleet netboot unassign --tag lab",
            "          fleet netboot unassign --device gw-00042"
        })
public final class NetbootUnassignCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "1")
    NetbootTargetOptions target;

    @Mixin
    NetbootDatabaseOptions database;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        boolean removed;
        try (FleetClient client = database.open(output.events())) {
            removed = client.unassignNetboot(target.kind(), target.target());
        }
        if (!removed) {
            throw new FleetkitException("netboot.no-assignment", "no netboot assignment for " + target.describe(),
                    "List them with `fleet netboot assignments`.");
        }
        if (output.json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("kind", target.kind().label());
            doc.put("target", target.target());
            doc.put("removed", true);
            output.printJson(doc);
        } else {
            output.out().printf("%s has no netboot assignment now%n", target.describe());
            output.out().flush();
        }
        return 0;
    }
}
