package io.fleetkit.cli;

import io.fleetkit.ota.server.FleetClient;
import io.fleetkit.ota.server.db.DeviceRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "tag", description = {
        "Put a device in groups: set its tags.",
        "",
        "Tags are the groups that `fleet rollout --group TAG` and `fleet netboot assign --tag TAG`",
        "address. The list given replaces the device's tags; give none to clear them. A device",
        "provisioned with tags of its own reports them, and its report then wins.",
        "",
        "Examples: fleet device tag gw-00042 lab eu",
        "          fleet device tag gw-00042            (no tags)"
})
public final class DeviceTagCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "ID", description = "Device id.")
    String id;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "TAG", description = "The device's tags, replacing the ones it has.")
    List<String> tags = new ArrayList<>();

    @Mixin
    FleetOptions fleet;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        DeviceRecord d;
        try (FleetClient client = fleet.open(output.events())) {
            client.tagDevice(id, tags); // the client checks the names (the API gets the same rules)
            d = client.device(id).device();
        }
        if (output.json) {
            output.printJson(DevicesCommand.doc(d));
        } else {
            output.out().printf("%s tags: %s%n", d.id(), d.tags().isEmpty() ? "(none)" : String.join(", ", d.tags()));
            output.out().flush();
        }
        return 0;
    }
}
