package io.fleetkit.cli;

import io.fleetkit.ota.server.FleetClient;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** What {@code rollout pause|resume|abort} share: pick the rollout, change its state, show the new state. */
abstract class RolloutStateChange implements Callable<Integer> {

    @Parameters(paramLabel = "ID", arity = "0..1", description = "Rollout id (r-N); default the newest.")
    String id;

    @Mixin
    FleetDataOptions fleet;

    @Mixin
    OutputOptions output;

    abstract void change(FleetClient client, String rolloutId) throws IOException;

    @Override
    public Integer call() throws Exception {
        try (FleetClient client = fleet.open(output.events())) {
            change(client, id);
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
