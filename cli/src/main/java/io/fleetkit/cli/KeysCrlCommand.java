package io.fleetkit.cli;

import io.fleetkit.keys.CertificateRevocationList;
import io.fleetkit.keys.FleetKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "crl",
        description = {
            "Write the fleet CA's certificate revocation list, for an external broker.",
            "",
            "Adds each --serial to the revoked serials kept in the key directory (revoked-serials.txt) and writes",
            "the CRL of all of them, signed by the CA, to -o FILE: Mosquitto's crlfile. Run it where the CA key is;",
            "copy the file to the broker and restart Mosquitto. A CRL is valid for 90 days: run it again before",
            "then (with no --serial it only renews). The embedded broker needs none (`fleet device revoke`).",
            "",
            "Example: fleet keys crl --serial 5f3a09c1 -o crl.pem"
        })
public final class KeysCrlCommand implements Callable<Integer> {

    @Option(names = "--serial", paramLabel = "HEX", description = "A certificate serial to revoke (repeatable).")
    List<String> serials = List.of();

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", required = true, description = "The CRL file (PEM) to write.")
    Path out;

    @Option(names = "--keys", paramLabel = "DIR", defaultValue = "keys", description = "Key directory with the fleet CA (default: ${DEFAULT-VALUE}).")
    Path keys;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        String pem = CertificateRevocationList.revoke(keys, FleetKeys.load(keys), serials, Clock.systemUTC());
        Files.writeString(out, pem);
        output.out().printf("wrote %s (revoked serials: %s)%n", out, keys.resolve(CertificateRevocationList.LEDGER));
        output.out().flush();
        return 0;
    }
}
