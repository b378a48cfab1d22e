package io.fleetkit.cli;

import io.fleetkit.ota.server.FleetClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "resume", description = {"Resume a paused rollout; failures seen so far in its phase are accepted, a new one past the limit pauses it again.", "", "Example: fleet rollout resume r-3"})
public final class RolloutResumeCommand implements Callable<Integer> {

    @Parameters(paramLabel = "ID", arity = "0..1", description = "Rollout id (r-N); default the newest.")
    String id;

    @Mixin
    FleetDataOptions fleet;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        try (FleetClient client = fleet.open(output.events())) {
            client.resume(id);
            var s = client.status(id);
            if (output.json) {
                output.printJson(RolloutStatusCommand.doc(s.rollout()));
            } else {
                output.out().printf("rollout %s is %s%n", s.rollout().id(), s.rollout().state());
                output.out().flush();
            }
        }
        return 0;
    }
}
