package io.fleetkit.cli;

import io.fleetkit.ota.server.FleetClient;
import java.io.IOException;
import picocli.CommandLine.Command;

@Command(name = "pause", description = {"Pause a rollout: no new phase starts; devices already offered carry on.", "", "Example: fleet rollout pause r-3"})
public final class RolloutPauseCommand extends RolloutStateChange {

    @Override
    void change(FleetClient client, String rolloutId) throws IOException {
        client.pause(rolloutId);
    }
}
