package io.fleetkit.cli;

import io.fleetkit.ota.server.FleetClient;
import io.fleetkit.ota.server.api.ApiDocs;
import io.fleetkit.ota.server.access.AuditEntry;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "audit",
        description = {
            "Show who changed what in the fleet, when, and from where.",
            "",
            "Every change made through the API or these commands is logged: rollouts (create, pause, resume,",
            "abort), device tags and revocations, publishing, netboot assignments, tokens. WHO is an API token's",
            "name, or local:<user> for this command line on the server's database; FROM is the client's address",
            "or 'local'. Newest last.",
            "",
            "Remotely (--server) this needs a viewer token or better.",
            "",
            "Examples: fleet audit",
            "          fleet audit --limit 1000 --json"
        })
public final class AuditCommand implements Callable<Integer> {

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "Show the newest N changes (default: ${DEFAULT-VALUE}; at most 10000).")
    int limit;

    @Mixin
    FleetOptions fleet;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        List<AuditEntry> log;
        try (FleetClient client = fleet.open(output.events())) {
            log = client.audit(limit);
        }
        if (output.json) {
            output.printJson(log.stream().map(ApiDocs::audit).toList());
            return 0;
        }
        Table t = new Table("#", "WHEN", "WHO", "FROM", "ACTION", "TARGET", "DETAIL");
        for (AuditEntry e : log) {
            t.row(Long.toString(e.seq()), e.at().toString(), e.actor(), e.source(), e.action(), DevicesCommand.dash(e.target()),
                    DevicesCommand.dash(e.detail()));
        }
        t.print(output.out());
        output.out().flush();
        return 0;
    }
}
