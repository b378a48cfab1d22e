package io.fleetkit.cli;

import io.fleetkit.ota.server.FleetClient;
import io.fleetkit.ota.server.access.NewToken;
import io.fleetkit.ota.server.access.Role;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "create",
        description = {
            "Make an API token and print it, once.",
            "",
            "The token goes to standard output alone on its line (with --json, in the field \"token\"), so a",
            "script can capture it: TOKEN=$(fleet token create ci --role operator). Only its SHA-256 is stored.",
            "",
            "Example: fleet token create alice --role admin"
        })
public final class TokenCreateCommand implements Callable<Integer> {

    @Parameters(paramLabel = "NAME", description = "Who holds it, e.g. alice or ci-deploy: a letter or digit, then up to 63 of letters, digits and ._@+-.")
    String name;

    @Option(names = "--role", required = true, paramLabel = "ROLE",
            description = "viewer (reads), operator (also rollouts and tags) or admin (also bundles, identities, netboot, tokens).")
    String role;

    @Mixin
    FleetOptions fleet;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        Role r = Role.parse(role);
        NewToken t;
        try (FleetClient client = fleet.open(output.events())) {
            t = client.createToken(name, r);
        }
        if (output.json) {
            Map<String, Object> doc = new LinkedHashMap<>(TokenListCommand.doc(t.info()));
            doc.put("token", t.secret());
            output.printJson(doc);
            return 0;
        }
        output.out().println(t.secret());
        output.out().flush();
        output.err().printf("Token %s (%s) made. It is shown this once: keep it now. Use it as: Authorization: Bearer <token>%n",
                t.info().name(), r.label());
        output.err().flush();
        return 0;
    }
}
