package io.fleetkit.cli;

import io.fleetkit.ota.server.FleetClient;
import io.fleetkit.ota.server.rollout.Rollout;
import java.io.IOException;
import picocli.CommandLine.Command;

@Command(name = "resume", description = {"Resume a paused rollout; failures seen so far in its phase are accepted, a new one past the limit pauses it again.", "", "Example: fleet rollout resume r-3"})
public final class RolloutResumeCommand extends RolloutStateChange {

    @Override
    Rollout change(FleetClient client, String rolloutId) throws IOException {
        return client.resume(rolloutId);
    }
}
