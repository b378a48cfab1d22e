package io.fleetkit.cli;

import io.fleetkit.ota.server.FleetClient;
import io.fleetkit.ota.server.access.TokenInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "list", description = {"List the API tokens: name, role, created, last used (never the tokens themselves).", "",
        "Last use is noted at most once a minute.", "", "Example: fleet token list"})
public final class TokenListCommand implements Callable<Integer> {

    @Mixin
    FleetOptions fleet;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        List<TokenInfo> tokens;
        try (FleetClient client = fleet.open(output.events())) {
            tokens = client.tokens();
        }
        if (output.json) {
            output.printJson(tokens.stream().map(TokenListCommand::doc).toList());
            return 0;
        }
        Table t = new Table("NAME", "ROLE", "CREATED", "BY", "LAST USED");
        Instant now = Instant.now();
        for (TokenInfo i : tokens) {
            t.row(i.name(), i.role().label(), i.createdAt().toString(), i.createdBy(), DevicesCommand.ago(i.lastUsedAt(), now));
        }
        t.print(output.out());
        output.out().printf("%d tokens%n", tokens.size());
        output.out().flush();
        return 0;
    }

    /** A token's JSON, the API's own ({@link io.fleetkit.ota.server.api.ApiDocs#token}). */
    static Map<String, Object> doc(TokenInfo i) {
        return io.fleetkit.ota.server.api.ApiDocs.token(i);
    }
}
