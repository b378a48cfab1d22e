package io.fleetkit.cli;

import io.fleetkit.ota.server.FleetClient;
import io.fleetkit.ota.server.rollout.Rollout;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** What {@code rollout pause|resume|abort} share: pick the rollout, change its state, show the new state. */
abstract class RolloutStateChange implements Callable<Integer> {

    @Parameters(paramLabel = "ID", arity = "0..1", description = "Rollout id (r-N); default the one active rollout "
            + "(refused, exit 1, when none or several are active).")
    String id;

    @Mixin
    FleetOptions fleet;

    @Mixin
    OutputOptions output;

    /** Changes the rollout ({@code rolloutId} null: the one active) and returns it as it now stands. */
    abstract Rollout change(FleetClient client, String rolloutId) throws IOException;

    @Override
    public Integer call() throws Exception {
        try (FleetClient client = fleet.open(output.events())) {
            Rollout r = change(client, id);
            if (output.json) {
                output.printJson(RolloutStatusCommand.doc(r));
            } else {
                output.out().printf("rollout %s is %s%n", r.id(), r.state());
                output.out().flush();
            }
        }
        return 0;
    }
}
