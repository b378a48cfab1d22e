package io.fleetkit.cli;

import io.fleetkit.kernel.KsppRecommendations;
import io.fleetkit.kernel.KsppReport;
import io.fleetkit.packages.BoardKernel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "check",
        description = {
            "Check the board kernel against the KSPP hardening recommendations.",
            "",
            "Compare the board kernel's configuration with the Kernel Self Protection Project's",
            "recommended settings and show which are met, missing or contrary.",
            "",
            "Example: fleet kernel check --board qemu-arm64 --only contrary"
        })
public final class KernelCheckCommand implements Callable<Integer> {

    @Mixin
    BoardKernelOptions board;

    @Mixin
    OutputOptions output;

    @Option(names = "--only", paramLabel = "STATUS", description = "Show only rows with this status: ${COMPLETION-CANDIDATES}.")
    KsppReport.Status only;

    @Override
    public Integer call() throws Exception {
        BoardKernel k = board.load(output.events());
        KsppReport report = KsppReport.compare(k.tree().readConfig(),
                KsppRecommendations.forArchitecture(k.board().architecture()));
        List<KsppReport.Row> rows = only == null ? report.rows() : report.rowsWith(only);
        if (output.json) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (KsppReport.Row r : rows) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("option", r.option());
                m.put("recommended", r.recommended());
                m.put("actual", r.actual());
                m.put("status", r.status().name());
                m.put("why", r.why());
                out.add(m);
            }
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("kernel", k.tree().version());
            doc.put("rows", out);
            Map<String, Object> counts = new LinkedHashMap<>();
            report.counts().forEach((s, n) -> counts.put(s.name(), n));
            doc.put("counts", counts);
            output.printJson(doc);
            return 0;
        }
        Table table = new Table("STATUS", "OPTION", "RECOMMENDED", "ACTUAL", "WHY");
        for (KsppReport.Row r : rows) {
            table.row(r.status().name(), r.option(), r.recommended(), r.actual() == null ? "-" : r.actual(), r.why());
        }
        table.print(output.out());
        output.out().println("kernel " + k.tree().version() + ": " + report.summary());
        output.out().flush();
        return 0;
    }
}
