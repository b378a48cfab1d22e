package io.fleetkit.cli;

import io.fleetkit.ota.server.FleetClient;
import io.fleetkit.ota.server.security.Revocation;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "revoke",
        description = {
            "Revoke a device's certificate: the server refuses it from now on.",
            "",
            "Revokes every certificate issued to ID until now (or only --serial): the embedded broker refuses it at the",
            "next connection and drops a current one within a second; the device's MACs and serial are released for",
            "other devices. A certificate issued to ID later is admitted. For an external Mosquitto, also run",
            "`fleet keys crl --serial SERIAL` where the CA key is, and give Mosquitto the new CRL (docs/protocol.md).",
            "",
            "Example: fleet device revoke gw-00042 --reason \"card lost in transit\""
        })
public final class DeviceRevokeCommand implements Callable<Integer> {

    @Parameters(paramLabel = "ID", description = "Device id.")
    String id;

    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why (kept with the revocation, shown by `fleet device show`).")
    String reason;

    @Option(names = "--serial", paramLabel = "HEX", description = "Revoke only the certificate with this serial (as `fleet device show` prints it).")
    String serial;

    @Mixin
    FleetOptions fleet;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        Revocation r;
        String known;
        try (FleetClient client = fleet.open(output.events())) {
            r = client.revoke(id, serial, reason);
            known = lastSeenSerial(client);
        }
        if (output.json) {
            Map<String, Object> doc = doc(r);
            doc.put("lastSeenSerial", known);
            output.printJson(doc);
            return 0;
        }
        output.out().printf("revoked %s%s: %s%n", id, r.serial() == null ? " (every certificate issued until now)" : " (serial " + r.serial() + ")",
                TerminalText.safe(reason));
        if (known != null) {
            output.out().printf("  its last certificate seen: serial %s (for an external broker: fleet keys crl --serial %s)%n", known, known);
        }
        output.out().flush();
        return 0;
    }

    /** The serial of the certificate the device last connected with; null when unknown (or the device is: a card stolen before its first boot). */
    private String lastSeenSerial(FleetClient client) throws java.io.IOException {
        try {
            return client.device(id).device().certificateSerial();
        } catch (io.fleetkit.events.FleetkitException e) {
            if (e.code().equals("fleet.unknown-device")) {
                return null;
            }
            throw e;
        }
    }

    static Map<String, Object> doc(Revocation r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("device", r.deviceId());
        m.put("serial", r.serial());
        m.put("reason", r.reason());
        m.put("revokedAt", r.revokedAt().toString());
        return m;
    }
}
