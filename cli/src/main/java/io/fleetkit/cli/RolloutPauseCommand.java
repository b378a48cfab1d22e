package io.fleetkit.cli;

import io.fleetkit.ota.server.FleetClient;
import io.fleetkit.ota.server.rollout.Rollout;
import java.io.IOException;
import picocli.CommandLine.Command;

@Command(name = "pause", description = {"Pause a rollout: no new phase starts; devices already offered carry on.", "", "Example: fleet rollout pause r-3"})
public final class RolloutPauseCommand extends RolloutStateChange {

    @Override
    Rollout change(FleetClient client, String rolloutId) throws IOException {
        return client.pause(rolloutId);
    }
}
