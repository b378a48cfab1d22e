package io.fleetkit.cli;

import io.fleetkit.ota.server.FleetClient;
import io.fleetkit.ota.server.NetbootAssignmentView;
import io.fleetkit.ota.server.db.NetbootAssignment;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "assign",
        description = {
            "Choose the image a device or a group of devices netboots.",
            "",
            "Record in the fleet database which image a device (--device) or every device",
            "with a tag (--tag) boots from `fleet netboot serve --db`. A netbooting board is",
            "recognised by the MAC addresses and Raspberry Pi serial its agent reported, so",
            "the device must have reported to the fleet server once.",
            "",
            "A device's own assignment beats its tags'. Of several tags, the one assigned",
            "first wins; assigning a tag again changes its image and keeps its place.",
            "--assign flags of `netboot serve` beat both. Changes apply at the device's next",
            "boot; a running `netboot serve` needs no restart.",
            "",
            "Examples: fleet netboot assign --tag lab gateway-debug",
            "          fleet netboot assign --device gw-00042 gateway",
            "          fleet netboot assign --tag field gateway \\",
            "              --db=jdbc:postgresql://db/fleet?user=fleet"
        })
public final class NetbootAssignCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "1")
    NetbootTargetOptions target;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "Image name, as in fleet.yml and as `netboot serve` lists it (not a path).")
    String image;

    @Mixin
    NetbootDatabaseOptions database;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        NetbootAssignmentView saved;
        try (FleetClient client = database.open(output.events())) {
            saved = client.assignNetboot(target.kind(), target.target(), image);
        }
        if (output.json) {
            output.printJson(NetbootAssignmentsCommand.doc(saved));
            return 0;
        }
        List<String> affected = saved.devices();
        output.out().printf("%s netboots %s%n", target.describe(), image);
        if (affected.isEmpty()) {
            output.out().printf("no known device boots it yet: %s%n", target.kind() == NetbootAssignment.Kind.DEVICE
                    ? "the device has not reported to the fleet server" : "no device has this tag, or each has an assignment that wins");
        } else {
            output.out().printf("decides %d device%s now: %s%n", affected.size(), affected.size() == 1 ? "" : "s",
                    String.join(", ", affected));
        }
        output.out().flush();
        return 0;
    }
}
