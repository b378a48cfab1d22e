package io.fleetkit.cli;

import io.fleetkit.ota.server.FleetClient;
import io.fleetkit.ota.server.bundles.PublishedBundle;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "publish",
        description = {
            "Verify a bundle and store it on the fleet server as a version.",
            "",
            "Verify a bundle with the fleet's signing key (signature and every chunk) and store it in the",
            "data directory as its version (or --as NAME), ready for `fleet rollout`. The same bytes again",
            "are a no-op; other bytes under a published version and board are refused.",
            "",
            "With --server (or FLEET_SERVER) and an admin token, the bundle is uploaded to the fleet server, which",
            "verifies it with the signing key it holds and stores it: no --keys or --data needed here.",
            "",
            "Examples: fleet publish out/gateway-2.0.0.bundle",
            "          fleet publish out/gateway-2.0.0.bundle --server https://fleet.example:8443"
        })
public final class PublishCommand implements Callable<Integer> {

    @Parameters(paramLabel = "BUNDLE", description = "The .bundle file.")
    Path bundle;

    @Option(names = "--as", paramLabel = "NAME", description = "Publish under this version name instead of the manifest's version.")
    String name;

    @Mixin
    FleetOptions fleet;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        PublishedBundle b;
        try (FleetClient client = fleet.open(output.events())) {
            b = client.publish(bundle, Optional.ofNullable(name));
        }
        if (output.json) {
            // the API's form of a bundle: the same JSON remotely and locally
            Map<String, Object> doc = io.fleetkit.ota.server.api.ApiDocs.bundle(b);
            output.printJson(doc);
            return 0;
        }
        output.out().printf("published %s for %s as %s (%s, %d chunks, sha256 %s)%n", b.version(), b.board(), b.name(),
                ByteSize.format(b.size()), b.chunks(), b.sha256());
        output.out().flush();
        return 0;
    }
}
