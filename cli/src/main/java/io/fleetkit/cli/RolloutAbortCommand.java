package io.fleetkit.cli;

import io.fleetkit.ota.server.FleetClient;
import io.fleetkit.ota.server.rollout.Rollout;
import java.io.IOException;
import picocli.CommandLine.Command;

@Command(name = "abort", description = {"Abort a rollout: devices that have not reached the version get an empty desired update (they stop downloading); updated devices stay.", "", "Example: fleet rollout abort r-3"})
public final class RolloutAbortCommand extends RolloutStateChange {

    @Override
    Rollout change(FleetClient client, String rolloutId) throws IOException {
        return client.abort(rolloutId);
    }
}
