package io.fleetkit.cli;

import io.fleetkit.keys.FleetKeys;
import io.fleetkit.ota.bundle.SigningKeyId;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "init",
        description = {
            "Make the fleet's update-signing key and CA.",
            "",
            "Make the fleet's keys: an Ed25519 update-signing key (signing.key, signing.pub) and a fleet CA",
            "(ca.key, ca.crt) that issues server and device certificates. Private keys are written 0600 in a",
            "0700 directory. Existing keys are never overwritten.",
            "",
            "Example: fleet keys init ./keys"
        })
public final class KeysInitCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "DIR", defaultValue = "keys", description = "Key directory (default: ./${DEFAULT-VALUE}).")
    Path dir;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        FleetKeys keys = FleetKeys.init(dir, Clock.systemUTC());
        String keyId = SigningKeyId.of(keys.signingKey().publicKey());
        if (output.json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("dir", dir.toAbsolutePath().toString());
            doc.put("signingKeyId", keyId);
            doc.put("ca", keys.caCertificate().getSubjectX500Principal().getName());
            doc.put("files", FleetKeys.FILES);
            output.printJson(doc);
            return 0;
        }
        output.out().printf("made fleet keys in %s%n", dir.toAbsolutePath());
        output.out().printf("  signing key  %s (id %s), public half %s%n", FleetKeys.SIGNING_KEY, keyId, FleetKeys.SIGNING_PUB);
        output.out().printf("  fleet CA     %s, certificate %s (%s)%n", FleetKeys.CA_KEY, FleetKeys.CA_CERT,
                keys.caCertificate().getSubjectX500Principal().getName());
        output.out().println("Keep signing.key and ca.key secret; images embed signing.pub.");
        output.out().flush();
        return 0;
    }
}
