package io.fleetkit.cli;

import io.fleetkit.events.UsageException;
import io.fleetkit.ota.server.FleetClient;
import io.fleetkit.ota.server.rollout.DeviceSelector;
import io.fleetkit.ota.server.rollout.PhasePlan;
import io.fleetkit.ota.server.rollout.Rollout;
import io.fleetkit.ota.server.rollout.RolloutRequest;
import io.fleetkit.ota.server.rollout.RolloutText;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rollout",
        description = {
            "Move the fleet to a published version in phases.",
            "",
            "Move the fleet (or a selection) to a published version in phases. Each phase starts when the one",
            "before has no device left pending; the rollout pauses itself when more than --max-failures of a",
            "phase failed (a rollback, a refusal, or no report within --timeout). Devices already on the version",
            "count as done at once; offline devices get the update when they come back.",
            "The running `fleet server` starts the rollout within a second.",
            "",
            "Examples: fleet rollout 2.0.0",
            "          fleet rollout 2.0.0 --select board=rpi4,tag=lab --phases 1,25%%,100%% --max-failures 10%%",
            "          fleet rollout status --watch",
            "          fleet rollout 2.0.0 --server https://fleet.example:8443   (token in FLEET_TOKEN)"
        },
        subcommands = {RolloutStatusCommand.class, RolloutPauseCommand.class, RolloutResumeCommand.class, RolloutAbortCommand.class})
public final class RolloutCommand implements Callable<Integer> {

    @Parameters(paramLabel = "VERSION", arity = "0..1", description = "The published version (name) to roll out.")
    String version;

    @Option(names = "--select", paramLabel = "KEY=VALUE,..", description = "Only devices matching board=, version=, tag= (all given must match).")
    String select;

    @Option(names = "--group", paramLabel = "TAG", description = "Only devices with this tag (same as --select tag=TAG).")
    String group;

    @Option(names = "--phases", paramLabel = "LIST", defaultValue = "1,10%,50%,100%",
            description = "Phase sizes: a count adds that many devices, N%% grows to that share (default: 1,10%%,50%%,100%%).")
    String phases;

    @Option(names = "--max-failures", paramLabel = "SHARE", defaultValue = "20%",
            description = "Pause when more than this share of a phase failed: 20%% or 0.2 (default: 20%%).")
    String maxFailures;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30m",
            description = "A device offered the update that reports nothing for this long has timed out: 90s, 30m, 2h (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Mixin
    FleetOptions fleet;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        if (version == null) {
            throw new UsageException("rollout.no-version", "which version? `fleet rollout VERSION`, or a subcommand: status, pause, resume, abort",
                    "See fleet rollout --help.");
        }
        DeviceSelector selector = DeviceSelector.parse(select);
        if (group != null) {
            selector = selector.withTag(group);
        }
        RolloutRequest request = new RolloutRequest(version, selector, PhasePlan.parse(phases), share(maxFailures), duration(timeout));
        Rollout r;
        try (FleetClient client = fleet.open(output.events())) {
            r = client.createRollout(request);
            if (output.json) {
                output.printJson(RolloutStatusCommand.doc(client.status(r.id())));
                return 0;
            }
            RolloutStatusCommand.print(output.out(), client.status(r.id()));
        }
        output.out().printf("Follow it with: fleet rollout status %s --watch%n", r.id());
        output.out().flush();
        return 0;
    }

    static double share(String s) {
        return RolloutText.share(s); // the API reads the same text
    }

    static Duration duration(String s) {
        return RolloutText.duration(s);
    }
}
