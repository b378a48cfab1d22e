package io.fleetkit.cli;

import io.fleetkit.keys.Certificates;
import io.fleetkit.keys.FleetKeys;
import io.fleetkit.keys.ServerCertificateIssuer;
import io.fleetkit.keys.ServerKeys;
import io.fleetkit.ota.protocol.ServerIds;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "issue-server",
        description = {
            "Issue the fleet server's identity: its key and a certificate from the fleet CA.",
            "",
            "Writes server.key (0600) and server.crt into -o DIR (default: the key directory), and ca.crt and",
            "signing.pub beside them: DIR then holds exactly what the server machine needs (fleet server --keys DIR).",
            "signing.key and ca.key stay here. The certificate names every HOST devices dial (DNS names or IP",
            "addresses; devices check it) and carries the server's id as CN (default fleet-server; several",
            "servers on one broker each get their own, e.g. --id fleet-server-2).",
            "",
            "Example: fleet keys issue-server fleet.example.com 10.0.0.5 -o server-keys"
        })
public final class KeysIssueServerCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "HOST", description = "Host names and addresses devices reach the server (broker) at.")
    List<String> hosts;

    @Option(names = "--keys", paramLabel = "DIR", defaultValue = "keys", description = "Key directory with the fleet CA (default: ${DEFAULT-VALUE}).")
    Path keys;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Where to write the server's files (default: the key directory).")
    Path out;

    @Option(names = "--id", paramLabel = "ID", defaultValue = ServerIds.DEFAULT, description = "The server's id (default: ${DEFAULT-VALUE}).")
    String id;

    @Option(names = "--validity", paramLabel = "DAYS", converter = Validity.class, description = "How long the certificate is valid: 365d, 2y (default 2y).")
    Duration validity;

    @Option(names = "--replace", description = "Renew: replace an existing server.crt and server.key.")
    boolean replace;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        Path dir = out == null ? keys : out;
        ServerKeys s = ServerKeys.issue(FleetKeys.load(keys), dir, id, hosts,
                validity == null ? ServerCertificateIssuer.DEFAULT_VALIDITY : validity, replace, Clock.systemUTC());
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("id", s.serverId());
        doc.put("dir", dir.toAbsolutePath().toString());
        doc.put("hosts", hosts);
        doc.put("serial", Certificates.serialHex(s.certificate()));
        doc.put("notAfter", s.certificate().getNotAfter().toInstant().toString());
        doc.put("files", ServerKeys.FILES);
        if (output.json) {
            output.printJson(doc);
            return 0;
        }
        output.out().printf("issued server identity %s for %s into %s%n", s.serverId(), String.join(", ", hosts), dir);
        output.out().printf("  serial %s, valid until %s%n", doc.get("serial"), doc.get("notAfter"));
        output.out().printf("Copy %s to the server machine (fleet server --keys DIR); keep signing.key and ca.key here.%n",
                String.join(", ", ServerKeys.FILES));
        output.out().flush();
        return 0;
    }
}
