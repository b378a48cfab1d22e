package io.fleetkit.cli;

import io.fleetkit.ota.server.DeviceView;
import io.fleetkit.ota.server.FleetClient;
import io.fleetkit.ota.server.db.DeviceRecord;
import io.fleetkit.ota.server.db.EventRecord;
import io.fleetkit.ota.server.security.Revocation;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "show", description = {"Show a device's last report, its certificate and its newest update events.", "",
        "Example: fleet device show gw-00001"})
public final class DeviceShowCommand implements Callable<Integer> {

    @Parameters(paramLabel = "ID", description = "Device id.")
    String id;

    @Mixin
    FleetOptions fleet;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        DeviceView view;
        try (FleetClient client = fleet.open(output.events())) {
            view = client.device(id);
        }
        DeviceRecord d = view.device();
        if (output.json) {
            Map<String, Object> doc = DevicesCommand.doc(d);
            doc.put("certificateSerial", d.certificateSerial());
            doc.put("certificateNotAfter", d.certificateNotAfter() == null ? null : d.certificateNotAfter().toString());
            doc.put("revocations", view.revocations().stream().map(DeviceRevokeCommand::doc).toList());
            doc.put("events", view.events().stream().map(DeviceShowCommand::event).toList());
            output.printJson(doc);
            return 0;
        }
        var out = output.out();
        out.printf("id           %s%n", d.id());
        out.printf("hostname     %s%n", TerminalText.safe(DevicesCommand.dash(d.hostname())));
        out.printf("board        %s%n", TerminalText.safe(DevicesCommand.dash(d.board())));
        out.printf("version      %s (number %d), running slot %s%n", DevicesCommand.dash(d.version()), d.versionNumber(), DevicesCommand.dash(d.slot()));
        out.printf("slots        %s%n", d.slotVersions());
        out.printf("update       %s%s%s%n", DevicesCommand.state(d),
                d.updateState().isBusy() ? String.format(" (%.0f%%)", d.updateProgress() * 100) : "",
                d.updateReason() != null ? ": " + TerminalText.safe(d.updateReason()) : "");
        out.printf("desired      %s%n", d.desired() == null ? "-" : d.desired().isNone() ? "none" : d.desired().version() + " (" + d.desired().rollout() + ")");
        out.printf("online       %s, last seen %s%n", d.online() ? "yes" : "no", DevicesCommand.ago(d.lastSeen(), Instant.now()));
        out.printf("free         %s, up %s, agent %s%n", d.freeBytes() >= 0 ? ByteSize.format(d.freeBytes()) : "-",
                d.uptimeSeconds() >= 0 ? d.uptimeSeconds() + "s" : "-", DevicesCommand.dash(d.agent()));
        out.printf("tags         %s%n", d.tags().isEmpty() ? "-" : String.join(",", d.tags()));
        out.printf("settings     %s%n", d.settings().isEmpty() ? "-" : TerminalText.safe(d.settings().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(java.util.stream.Collectors.joining(", "))));
        out.printf("certificate  %s%n", d.certificateSerial() == null ? "- (not seen by the embedded broker yet)"
                : "serial " + d.certificateSerial() + ", expires " + d.certificateNotAfter()
                        + (d.certificateNotAfter().isBefore(Instant.now()) ? " (EXPIRED)" : ""));
        for (Revocation r : view.revocations()) {
            out.printf("revoked      %s%s: %s%n", r.revokedAt(), r.serial() == null ? " (every certificate issued before)" : " (serial " + r.serial() + ")",
                    TerminalText.safe(r.reason()));
        }
        out.println();
        Table t = new Table("SEQ", "TIME", "STATE", "TARGET", "REASON", "MESSAGE");
        for (EventRecord e : view.events()) {
            t.row(Long.toString(e.seq()), (e.ts() != null ? e.ts() : e.receivedAt()).toString(), e.state().name(),
                    DevicesCommand.dash(e.target()), DevicesCommand.dash(e.reason()), DevicesCommand.dash(e.message()));
        }
        t.print(out);
        out.flush();
        return 0;
    }

    static Map<String, Object> event(EventRecord e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", e.seq());
        m.put("state", e.state().name());
        m.put("target", e.target());
        m.put("reason", e.reason());
        m.put("message", e.message());
        m.put("ts", e.ts() == null ? null : e.ts().toString());
        m.put("receivedAt", e.receivedAt().toString());
        return m;
    }
}
