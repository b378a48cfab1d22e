package io.fleetkit.cli;

import io.fleetkit.build.PiFirmwareBootCheck;
import io.fleetkit.events.UsageException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

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
            "Loading the kernel also checks, offline, that every device tree of the board reaches its",
            "storage, console and restart handler with the drivers the image carries.",
            "",
            "With --image, a Raspberry Pi image is read the way each model's GPU firmware reads it",
            "(no emulator runs that firmware): bootcode.bin, autoboot.txt with and without tryboot,",
            "config.txt's sections for that model, start and fixup files, arm_64bit, kernel=,",
            "initramfs, the device tree it picks, overlays and enable_uart. Exit 1 when a model would",
            "not boot the image (fleet build refuses such an image too). A tryboot slot that no update",
            "has written yet is reported as empty, not as a failure.",
            "",
            "Example: fleet kernel check --board qemu-arm64 --only contrary",
            "Example: fleet kernel check --board rpi4 --image out/gateway-rpi4-1.0.0.img"
        })
public final class KernelCheckCommand implements Callable<Integer> {

    @Mixin
    BoardKernelOptions board;

    @Mixin
    OutputOptions output;

    @Option(names = "--only", paramLabel = "STATUS", description = "Show only rows with this status: ${COMPLETION-CANDIDATES}.")
    KsppReport.Status only;

    @Option(names = "--image", paramLabel = "IMG", description = "A built Raspberry Pi disk image to read as the board's firmware would.")
    Path image;

    @Override
    public Integer call() throws Exception {
        if (image != null && !board.profile().raspberryPi()) {
            throw new UsageException("kernel.image-not-pi", "--image reads a Raspberry Pi image as its firmware would; "
                    + board.board + " is not a Raspberry Pi board", "drop --image, or use --board rpi3 or rpi4");
        }
        BoardKernel k = board.load(output.events());
        List<PiFirmwareBootCheck.ModelBoot> boots = image == null ? List.of() : firmwareBoots();
        int exit = boots.stream().allMatch(PiFirmwareBootCheck.ModelBoot::ok) ? 0 : 1;
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
            if (image != null) {
                List<Map<String, Object>> fw = new ArrayList<>();
                for (PiFirmwareBootCheck.ModelBoot b : boots) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("model", b.model().displayName);
                    m.put("boot", b.tryboot() ? "tryboot" : "normal");
                    m.put("partition", b.partition());
                    m.put("kernel", b.kernel());
                    m.put("deviceTree", b.deviceTree());
                    m.put("empty", b.empty());
                    m.put("problems", b.problems());
                    fw.add(m);
                }
                doc.put("firmware", fw);
            }
            output.printJson(doc);
            return exit;
        }
        Table table = new Table("STATUS", "OPTION", "RECOMMENDED", "ACTUAL", "WHY");
        for (KsppReport.Row r : rows) {
            table.row(r.status().name(), r.option(), r.recommended(), r.actual() == null ? "-" : r.actual(), r.why());
        }
        table.print(output.out());
        output.out().println("kernel " + k.tree().version() + ": " + report.summary());
        if (image != null) {
            printFirmwareBoots(boots);
        }
        output.out().flush();
        return exit;
    }

    /** The firmware's reading of {@link #image}, per model and boot. */
    private List<PiFirmwareBootCheck.ModelBoot> firmwareBoots() throws IOException {
        if (!Files.isRegularFile(image)) {
            throw new UsageException("kernel.no-image", "no image at " + image, "build one with 'fleet build SPEC'");
        }
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ)) {
            return PiFirmwareBootCheck.read(ch, board.profile());
        }
    }

    private void printFirmwareBoots(List<PiFirmwareBootCheck.ModelBoot> boots) {
        output.out().println();
        Table table = new Table("MODEL", "BOOT", "PARTITION", "KERNEL", "DEVICE TREE", "RESULT");
        for (PiFirmwareBootCheck.ModelBoot b : boots) {
            table.row(b.model().displayName, b.tryboot() ? "tryboot" : "normal", "p" + b.partition(),
                    b.kernel() == null ? "-" : b.kernel(), b.deviceTree() == null ? "-" : b.deviceTree(),
                    !b.ok() ? String.join("; ", b.problems()) : b.empty() ? "ok: slot empty (not yet written)" : "ok");
        }
        table.print(output.out());
        long bad = boots.stream().filter(b -> !b.ok()).count();
        String empty = boots.stream().filter(PiFirmwareBootCheck.ModelBoot::empty).map(b -> "p" + b.partition()).distinct()
                .collect(java.util.stream.Collectors.joining(", "));
        output.out().println(image.getFileName() + ": " + (bad == 0 ? "every model's firmware finds what it needs"
                : bad + " of " + boots.size() + " firmware boots would fail")
                + (empty.isEmpty() ? "" : "; the tryboot slot " + empty + " is empty until an update writes it (the agent arms"
                + " a tryboot only after writing it), so only the normal boot was read"));
    }
}
