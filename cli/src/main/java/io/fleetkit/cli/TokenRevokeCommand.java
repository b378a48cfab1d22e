package io.fleetkit.cli;

import io.fleetkit.ota.server.FleetClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "revoke", description = {"Revoke an API token: the server refuses it from its next request on (401).", "",
        "Example: fleet token revoke ci-deploy"})
public final class TokenRevokeCommand implements Callable<Integer> {

    @Parameters(paramLabel = "NAME", description = "The token's name, as `fleet token list` shows it.")
    String name;

    @Mixin
    FleetOptions fleet;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        try (FleetClient client = fleet.open(output.events())) {
            client.revokeToken(name);
        }
        if (output.json) {
            output.printJson(java.util.Map.of("revoked", name));
        } else {
            output.out().printf("token %s revoked%n", name);
            output.out().flush();
        }
        return 0;
    }
}
