package io.fleetkit.cli;

import io.fleetkit.ota.server.FleetClient;
import io.fleetkit.ota.server.rollout.PhaseCounts;
import io.fleetkit.ota.server.rollout.Rollout;
import io.fleetkit.ota.server.rollout.RolloutDevice;
import io.fleetkit.ota.server.rollout.RolloutState;
import io.fleetkit.ota.server.rollout.RolloutStatus;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "status",
        description = {"Show a rollout (default: the newest): state, phases, failures. --watch redraws it every second until it ends.",
            "", "With --watch the exit code says how the rollout ended, so scripts and CI can gate on it.",
            "", "Example: fleet rollout status r-3 --watch"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            " 0:shown; with --watch: the rollout finished",
            " 1:failure (the fleet cannot be reached, no such rollout)",
            " 2:usage error",
            " 3:with --watch: the rollout is paused (a phase failed past --max-failures, or an operator paused it)",
            " 4:with --watch: the rollout was aborted"})
public final class RolloutStatusCommand implements Callable<Integer> {

    static final int PAUSED = 3;
    static final int ABORTED = 4;

    @Parameters(paramLabel = "ID", arity = "0..1", description = "Rollout id (r-N); default the newest.")
    String id;

    @Option(names = "--watch", description = "Live view: redraw every second until the rollout is finished, aborted or paused.")
    boolean watch;

    @Option(names = "--all", description = "List every rollout instead.")
    boolean all;

    @Mixin
    FleetOptions fleet;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        try (FleetClient client = fleet.open(output.events())) {
            if (all) {
                List<Rollout> rollouts = client.rollouts();
                if (output.json) {
                    output.printJson(rollouts.stream().map(r -> doc(r)).toList());
                    return 0;
                }
                Table t = new Table("ID", "TARGET", "STATE", "PHASE", "SELECT", "CREATED");
                for (Rollout r : rollouts) {
                    t.row(r.id(), r.target(), r.state().name(), (r.currentPhase() + 1) + "/" + r.phaseCount(),
                            r.selector().isEmpty() ? "all" : r.selector(), r.createdAt().toString());
                }
                t.print(output.out());
                output.out().flush();
                return 0;
            }
            boolean terminal = System.console() != null && !output.json;
            while (true) {
                RolloutStatus s = client.status(id);
                if (output.json) {
                    output.printJson(doc(s));
                } else {
                    if (watch && terminal) {
                        output.out().print("\033[H\033[2J"); // redraw in place on a terminal
                    }
                    print(output.out(), s);
                    output.out().flush();
                }
                if (!watch) {
                    return 0;
                }
                if (!s.rollout().state().isActive() || s.rollout().state() == RolloutState.PAUSED) {
                    return switch (s.rollout().state()) {
                        case PAUSED -> PAUSED;
                        case ABORTED -> ABORTED;
                        default -> 0;
                    };
                }
                Thread.sleep(1000);
            }
        }
    }

    static void print(PrintWriter out, RolloutStatus s) {
        Rollout r = s.rollout();
        PhaseCounts t = s.totals();
        out.printf("rollout %s: %s to %s, %s%n", r.id(), r.state(), r.target(), r.selector().isEmpty() ? "all devices" : r.selector());
        out.printf("  phases %s, max failures %.0f%%, timeout %s%s%n", r.phases(), r.maxFailures() * 100, r.timeout(),
                r.reason() != null ? "; " + TerminalText.safe(r.reason()) : "");
        out.printf("  %d devices: %d succeeded, %d failed, %d timed out, %d in progress, %d waiting  %s%n", t.total(), t.succeeded(),
                t.failed(), t.timedOut(), t.offered(), t.pending(), bar(t));
        Table table = new Table("PHASE", "DEVICES", "SUCCEEDED", "FAILED", "TIMED OUT", "IN PROGRESS", "WAITING", "");
        for (PhaseCounts p : s.phases()) {
            table.row(Integer.toString(p.phase() + 1), Integer.toString(p.total()), Integer.toString(p.succeeded()), Integer.toString(p.failed()),
                    Integer.toString(p.timedOut()), Integer.toString(p.offered()), Integer.toString(p.pending()),
                    p.phase() == r.currentPhase() && r.state().isActive() ? "<- current" : "");
        }
        table.print(out);
        for (RolloutDevice d : s.devices()) {
            if (d.state().isFailure()) {
                out.printf("  %s %s: %s%n", d.deviceId(), d.state(), d.reason() == null ? "" : TerminalText.safe(d.reason()));
            }
        }
    }

    private static String bar(PhaseCounts t) {
        int width = 30;
        int done = t.total() == 0 ? 0 : (int) Math.round(width * (double) (t.succeeded() + t.failures()) / t.total());
        return "[" + "#".repeat(done) + ".".repeat(width - done) + "]";
    }

    static Map<String, Object> doc(Rollout r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("target", r.target());
        m.put("state", r.state().name());
        m.put("selector", r.selector());
        m.put("phases", r.phases());
        m.put("maxFailures", r.maxFailures());
        m.put("timeoutSeconds", r.timeout().getSeconds());
        m.put("currentPhase", r.currentPhase() + 1);
        m.put("phaseCount", r.phaseCount());
        m.put("reason", r.reason());
        m.put("createdAt", r.createdAt().toString());
        m.put("updatedAt", r.updatedAt().toString());
        return m;
    }

    static Map<String, Object> doc(RolloutStatus s) {
        Map<String, Object> m = doc(s.rollout());
        m.put("phaseCounts", s.phases().stream().map(RolloutStatusCommand::counts).toList());
        m.put("totals", counts(s.totals()));
        m.put("devices", s.devices().stream().map(d -> {
            Map<String, Object> dm = new LinkedHashMap<>();
            dm.put("id", d.deviceId());
            dm.put("phase", d.phase() + 1);
            dm.put("state", d.state().name());
            dm.put("reason", d.reason());
            return dm;
        }).toList());
        return m;
    }

    private static Map<String, Object> counts(PhaseCounts p) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (p.phase() >= 0) {
            m.put("phase", p.phase() + 1);
        }
        m.put("devices", p.total());
        m.put("succeeded", p.succeeded());
        m.put("failed", p.failed());
        m.put("timedOut", p.timedOut());
        m.put("inProgress", p.offered());
        m.put("waiting", p.pending());
        return m;
    }
}
