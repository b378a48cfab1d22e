package io.fleetkit.cli;

import io.fleetkit.identity.DeviceCredentials;
import io.fleetkit.keys.Certificates;
import io.fleetkit.keys.DeviceCertificateIssuer;
import io.fleetkit.keys.FleetKeys;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "issue",
        description = {
            "Issue a device's identity: its key and a certificate from the fleet CA.",
            "",
            "Writes device.key (0600), device.crt (CN = the device id) and ca.crt into DIR: what `fleet station`",
            "writes onto each card, for boards provisioned another way. `fleet flash --identity DIR` puts it on a card.",
            "Runs where the fleet CA's key is (--keys); the certificate is valid for --validity (default 3 years).",
            "It has no --server: the CA key never goes to the online server, so identities are issued here.",
            "",
            "Example: fleet device issue gw-00042 -o ids/gw-00042"
        })
public final class DeviceIssueCommand implements Callable<Integer> {

    @Parameters(paramLabel = "ID", description = "Device id (not starting with fleet-server, which names servers).")
    String id;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", required = true, description = "Directory to write the identity to (made 0700).")
    Path out;

    @Option(names = "--keys", paramLabel = "DIR", defaultValue = "keys", description = "Key directory with the fleet CA (default: ${DEFAULT-VALUE}).")
    Path keys;

    @Option(names = "--validity", paramLabel = "DAYS", converter = Validity.class, description = "How long the certificate is valid: 365d, 2y (default 3y).")
    Duration validity;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        DeviceCredentials c = DeviceCredentials.issue(FleetKeys.load(keys), id,
                validity == null ? DeviceCertificateIssuer.DEFAULT_VALIDITY : validity, Clock.systemUTC());
        c.writeTo(out);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("id", id);
        doc.put("dir", out.toAbsolutePath().toString());
        doc.put("serial", Certificates.serialHex(c.certificate()));
        doc.put("notAfter", c.certificate().getNotAfter().toInstant().toString());
        doc.put("certificateSha256", c.certificateSha256());
        if (output.json) {
            output.printJson(doc);
            return 0;
        }
        output.out().printf("issued %s into %s: device.key, device.crt, ca.crt%n", id, out);
        output.out().printf("  serial %s, valid until %s%n", doc.get("serial"), doc.get("notAfter"));
        output.out().flush();
        return 0;
    }
}
